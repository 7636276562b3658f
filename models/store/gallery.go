package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/report/rollup"

	"gorm.io/gorm"
)

// pgSearchVector is what PostgreSQL searches in a story: the same
// expression as the index idx_stories_search (migration 36), which the
// planner uses only when a query repeats it exactly. Its words are folded
// (lower case, no accents or Arabic marks) and not stemmed, as SQLite's
// tokenizer does (unicode61 remove_diacritics 2), so both engines find the
// same stories in every language; the author's public name is a word of
// it, and the city its token c<id>, weighted A.
const pgSearchVector = `story_search_vector(title, body, display_name, anonymous, minor, city_id)`

// maxSearchWords bounds the words of a search that are looked for.
const maxSearchWords = 8

// searchWords splits a search into the words both engines index: runs of
// letters, digits and combining marks, at most maxSearchWords of them.
func searchWords(text string) []string {
	words := strings.FieldsFunc(text, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r)
	})
	return words[:min(len(words), maxSearchWords)]
}

// A search word of prefixLetters to maxPrefixLetters letters also finds
// the words it begins: the stemming of a gallery in many languages
// ("ecole" finds écoles, "learn" learned and learning; "تعلم" تعلمت).
// SQLite keeps prefix indexes of those lengths (migration 36), without
// which a prefix's matches are all read before the first page (1.3 s
// for a word in two million stories); a longer word is found whole.
const (
	prefixLetters    = 4
	maxPrefixLetters = 6
)

// maxWordCities is the most cities one word of a search may name: a word
// that names more ("learning" in "Learning City 001…") is only a word.
const maxWordCities = 20

// searchTerm is one word of a search: found in a story's title, text or
// author's public name (from its start when prefix), or naming its city.
type searchTerm struct {
	word   string
	prefix bool
	cities []uint
}

// searchTerms turns a search into its terms: each word, and the cities it
// names in any of their names, folded (FoldSearch). A word that folds to
// nothing (a lone mark) is dropped.
func (s *Store) searchTerms(ctx context.Context, text string) ([]searchTerm, error) {
	var terms []searchTerm
	var cities []models.City
	for _, w := range searchWords(text) {
		folded := models.FoldSearch(w)
		if folded == "" {
			continue
		}
		if cities == nil {
			var err error
			if cities, err = s.Cities(ctx, models.CityFilter{}); err != nil {
				return nil, err
			}
		}
		// SQLite's tokenizer takes Arabic marks for spaces: a word is
		// looked for without them (مَدرسة as مدرسة).
		w = strings.Map(func(r rune) rune {
			if arabicMark(r) {
				return -1
			}
			return r
		}, w)
		n := utf8.RuneCountInString(folded)
		t := searchTerm{word: w, prefix: n >= prefixLetters && n <= maxPrefixLetters}
		for _, c := range cities {
			if namesWord(c, folded, t.prefix) {
				t.cities = append(t.cities, c.ID)
			}
		}
		if len(t.cities) > maxWordCities {
			t.cities = nil
		}
		terms = append(terms, t)
	}
	return terms, nil
}

// arabicMark reports whether r is an Arabic vowel mark, Quranic sign or
// the tatweel.
func arabicMark(r rune) bool {
	return r >= 0x0610 && r <= 0x061A || r >= 0x064B && r <= 0x065F || r == 0x0670 || r == 0x0640 || r >= 0x06D6 && r <= 0x06ED
}

// namesWord reports whether a word of one of the city's names is word
// (folded), or begins with it when prefix.
func namesWord(c models.City, word string, prefix bool) bool {
	names := []string{c.Name}
	for _, n := range c.Names {
		names = append(names, n.Name)
	}
	for _, name := range names {
		for _, w := range strings.Fields(models.FoldSearch(name)) {
			if w == word || prefix && strings.HasPrefix(w, word) {
				return true
			}
		}
	}
	return false
}

// ftsQuery is the FTS5 query of the terms: every term, each in the text
// columns or as its cities' tokens.
func ftsQuery(terms []searchTerm) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		p := `{title body author} : "` + t.word + `"`
		if t.prefix {
			p += "*"
		}
		for _, id := range t.cities {
			p += ` OR city : "c` + strconv.FormatUint(uint64(id), 10) + `"`
		}
		parts[i] = "(" + p + ")"
	}
	return strings.Join(parts, " AND ")
}

// tsQuery is the PostgreSQL text query of the terms, folded in SQL by
// story_search_fold: words weighted D (a story's words), cities A.
func tsQuery(terms []searchTerm) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		p := t.word + ":D"
		if t.prefix {
			p = t.word + ":*D"
		}
		for _, id := range t.cities {
			p += " | c" + strconv.FormatUint(uint64(id), 10) + ":A"
		}
		parts[i] = "(" + p + ")"
	}
	return strings.Join(parts, " & ")
}

// SearchStories lists a page of published stories that match q, newest
// first, and where the next page starts. It never counts the matches, so
// a page costs the same on the first page as deep in two million stories.
// Without search text, stories come by publication date; with it, by
// submission (the order the full-text indexes keep), so that a word found
// in a million stories still costs only a page's worth of work. On SQLite
// the words are looked up in the FTS5 table stories_fts, on PostgreSQL in
// the GIN index over pgSearchVector; both match all words of the search,
// any case, accents aside, a word of prefixLetters or more as the start
// of a word too, in the title, the text or the author's public name, or
// naming the story's city in any of its names (searchTerms).
func (s *Store) SearchStories(ctx context.Context, q models.GalleryQuery) (models.GalleryPage, error) {
	size := q.Size
	if size <= 0 || size > 100 {
		size = models.GallerySize
	}
	var out models.GalleryPage
	db, words, err := s.galleryQuery(ctx, q)
	if err != nil {
		return out, err
	}
	switch {
	case len(words) > 0 && s.dialect == rollup.SQLite:
		few, err := s.fewInLanguage(ctx, q.Lang)
		if err != nil {
			return out, err
		}
		if few {
			// Few stories in that language: check each of them against the
			// index (CROSS JOIN keeps stories the outer loop), rather than
			// walk every story with the words looking for them.
			db = db.Joins("CROSS JOIN stories_fts").Where("stories_fts.rowid = stories.id")
		} else {
			// The index hands out its matches newest first and stops after a
			// page, however many stories have the words.
			db = db.Joins("JOIN stories_fts ON stories_fts.rowid = stories.id")
		}
		db = db.Where("stories_fts MATCH ?", ftsQuery(words))
		if !q.After.IsZero() {
			db = db.Where("stories.id < ?", q.After.ID)
		}
		if few {
			db = db.Order("stories.id DESC")
		} else {
			db = db.Order("stories_fts.rowid DESC")
		}
	case len(words) > 0:
		db = db.Where(pgSearchVector+" @@ to_tsquery('simple', story_search_fold(?))", tsQuery(words))
		if !q.After.IsZero() {
			db = db.Where("stories.id < ?", q.After.ID)
		}
		if err := s.searchPostgres(ctx, db, size, &out); err != nil {
			return out, err
		}
		return s.finishPage(ctx, out, size)
	default:
		if !q.After.IsZero() {
			db = db.Where("(stories.published_at, stories.id) < (?, ?)", q.After.PublishedAt, q.After.ID)
		}
		db = db.Order("stories.published_at DESC, stories.id DESC")
	}
	if err := db.Select("stories.*").Limit(size + 1).Find(&out.Stories).Error; err != nil {
		return out, fmt.Errorf("search stories: %w", err)
	}
	return s.finishPage(ctx, out, size)
}

// galleryQuery is the published stories of q's filters, and the terms of
// its search.
func (s *Store) galleryQuery(ctx context.Context, q models.GalleryQuery) (*gorm.DB, []searchTerm, error) {
	words, err := s.searchTerms(ctx, q.Text)
	if err != nil {
		return nil, nil, err
	}
	db := s.db.WithContext(ctx).Model(&models.Story{}).Where("stories.status = ?", models.StoryPublished)
	switch len(q.CityIDs) {
	case 0:
	case 1:
		db = db.Where("stories.city_id = ?", q.CityIDs[0])
	default:
		// A region's cities: the unary plus keeps the planner from the
		// per-city index (which would sort every story of the region) and
		// on the newest-first one, which finds a page after a few rows.
		db = db.Where("+stories.city_id IN ?", q.CityIDs)
	}
	if q.Lang != "" {
		db = db.Where("stories.lang = ?", q.Lang)
	}
	if q.Area != "" {
		db = db.Where("EXISTS (SELECT 1 FROM story_learning_areas a WHERE a.story_id = stories.id AND a.area = ?)", q.Area)
	}
	return db, words, nil
}

// finishPage keeps a page of the size+1 stories read, notes where the
// next page starts, and loads the page's learning areas.
func (s *Store) finishPage(ctx context.Context, out models.GalleryPage, size int) (models.GalleryPage, error) {
	if len(out.Stories) > size {
		out.Stories = out.Stories[:size]
		last := out.Stories[size-1]
		out.Next = models.GalleryCursor{ID: last.ID}
		if last.PublishedAt != nil {
			out.Next.PublishedAt = *last.PublishedAt
		}
	}
	return out, s.loadStoryAreas(ctx, out.Stories)
}

// pgCommonWordScan is how long a PostgreSQL search walks the stories
// newest first before it takes the other way. A common word is found
// within a page of that walk at once; a rare one would send it through
// every story, so after this the matches come from the GIN index instead,
// sorted (docs/performance.md, "Gallery search on PostgreSQL").
var pgCommonWordScan = 25 * time.Millisecond

// searchPostgres reads a page of the stories of db, a search with words,
// newest first: the GIN index cannot hand out its matches in order, and
// PostgreSQL's planner cannot tell a rare word from a common one.
func (s *Store) searchPostgres(ctx context.Context, db *gorm.DB, size int, out *models.GalleryPage) error {
	base := db.Select("stories.*").Limit(size + 1).Session(&gorm.Session{})
	walk, cancel := context.WithTimeout(ctx, pgCommonWordScan)
	err := base.WithContext(walk).Order("stories.id DESC").Find(&out.Stories).Error
	cancel()
	if err != nil && walk.Err() != nil && ctx.Err() == nil {
		// "+ 0" keeps the planner off the primary key's order.
		out.Stories = nil
		err = base.WithContext(ctx).Order("stories.id + 0 DESC").Find(&out.Stories).Error
	}
	if err != nil {
		return fmt.Errorf("search stories: %w", err)
	}
	return nil
}

// fewLanguageStories is the number of published stories in one language
// under which a search in that language checks those stories one by one
// instead of walking the matches of its words until a page of them is in
// the language: checking one story costs about fifty times as much as
// walking past a match, and at this number both ways stay within the
// gallery's budget at network scale (docs/stories.md).
const fewLanguageStories = 500

// fewInLanguage reports whether lang ("" for any) has fewer than
// fewLanguageStories published stories, reading at most that many index
// entries.
func (s *Store) fewInLanguage(ctx context.Context, lang string) (bool, error) {
	if lang == "" {
		return false, nil
	}
	var n int64
	err := s.db.WithContext(ctx).Raw("SELECT COUNT(*) FROM (SELECT 1 FROM stories WHERE lang = ? AND status = ? LIMIT ?) AS few",
		lang, models.StoryPublished, fewLanguageStories).Scan(&n).Error
	return n < fewLanguageStories, err
}
