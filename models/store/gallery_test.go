package store_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
	"github.com/unesco-gnlc/learnthroughlife/models/store/storetest"
)

// publishStory stores st, publishes it and returns its receipt code.
func publishStory(t *testing.T, f *storetest.Fixture, st *models.Story) string {
	t.Helper()
	ctx := context.Background()
	code, err := f.Store.CreateStory(ctx, st, nil)
	must(t, err)
	must(t, f.Store.ModerateStory(ctx, f.AgadirCoo.Actor(), st, models.ActionPublish, ""))
	return code
}

func galleryIDs(t *testing.T, s *store.Store, q models.GalleryQuery) []uint {
	t.Helper()
	p, err := s.SearchStories(context.Background(), q)
	must(t, err)
	ids := make([]uint, len(p.Stories))
	for i, st := range p.Stories {
		ids[i] = st.ID
	}
	return ids
}

// TestSearchStories runs on both engines (TEST_DATABASE_URL for
// PostgreSQL): full-text search finds published stories only, by whole
// words in any case and script, with the filters; and it follows the
// stories through unpublishing, edits by moderation and withdrawal.
func TestSearchStories(t *testing.T) {
	f := storetest.NewFixture(t)
	ctx := context.Background()
	mk := func(city uint, title, body, lang string, area models.LearningArea) *models.Story {
		st := f.ValidStory()
		st.CityID, st.Title, st.Body, st.Lang = city, title, body, lang
		st.LearningAreas = []models.LearningArea{area}
		return st
	}
	potter := mk(f.Agadir.ID, "Pottery with my grandmother", "Every Sunday we shaped clay together in the medina.", "en", models.AreaFamilies)
	publishStory(t, f, potter)
	code := publishStory(t, f, mk(f.Fez.ID, "Coding at the library", "I wrote my first program on a borrowed laptop, then taught my sister.", "en", models.AreaTechnologies))
	coder, err := f.Store.StoryByReceipt(ctx, code)
	must(t, err)
	arabic := mk(f.Fez.ID, "تعلمت القراءة", "في حلقة محو الأمية تعلمت القراءة والكتابة مع جيراني.", "ar", models.AreaFamilies)
	publishStory(t, f, arabic)
	french := mk(f.Agadir.ID, "Apprendre à coder", "Un atelier de programmation pour les femmes du quartier, avec la bibliothèque.", "fr", models.AreaTechnologies)
	publishStory(t, f, french)
	pending := mk(f.Agadir.ID, "Pottery still pending", "Clay and more clay, waiting for moderation here.", "en", models.AreaFamilies)
	_, err = f.Store.CreateStory(ctx, pending, nil)
	must(t, err)

	cases := []struct {
		name string
		q    models.GalleryQuery
		want []uint
	}{
		{"all published, newest first", models.GalleryQuery{}, []uint{french.ID, arabic.ID, coder.ID, potter.ID}},
		{"one word, any case", models.GalleryQuery{Text: "CLAY"}, []uint{potter.ID}},
		{"a word in two stories, newest first", models.GalleryQuery{Text: "the"}, []uint{coder.ID, potter.ID}},
		{"every word must be there", models.GalleryQuery{Text: "clay laptop"}, nil},
		{"words in title and text", models.GalleryQuery{Text: "pottery medina"}, []uint{potter.ID}},
		{"punctuation is no syntax", models.GalleryQuery{Text: `"program" OR* (NEAR`}, nil},
		{"quotes and operators ignored", models.GalleryQuery{Text: `program" -laptop*`}, []uint{coder.ID}},
		{"Arabic words", models.GalleryQuery{Text: "القراءة"}, []uint{arabic.ID}},
		{"accents kept", models.GalleryQuery{Text: "bibliothèque"}, []uint{french.ID}},
		{"no words", models.GalleryQuery{Text: " ,;- "}, []uint{french.ID, arabic.ID, coder.ID, potter.ID}},
		{"city", models.GalleryQuery{CityIDs: []uint{f.Fez.ID}}, []uint{arabic.ID, coder.ID}},
		{"region's cities", models.GalleryQuery{CityIDs: []uint{f.Fez.ID, f.Agadir.ID}}, []uint{french.ID, arabic.ID, coder.ID, potter.ID}},
		{"area", models.GalleryQuery{Area: models.AreaTechnologies}, []uint{french.ID, coder.ID}},
		{"language", models.GalleryQuery{Lang: "fr"}, []uint{french.ID}},
		{"search with filters", models.GalleryQuery{Text: "my", CityIDs: []uint{f.Fez.ID}, Area: models.AreaTechnologies, Lang: "en"}, []uint{coder.ID}},
		{"search with a filter that excludes", models.GalleryQuery{Text: "clay", CityIDs: []uint{f.Fez.ID}}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := galleryIDs(t, f.Store, tc.q); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
	// PostgreSQL takes a rare word's matches from its index when the walk
	// newest first finds no page at once: the same stories, the same order.
	t.Run("a rare word's way", func(t *testing.T) {
		defer store.SetCommonWordScan(time.Nanosecond)()
		for _, tc := range cases {
			if got := galleryIDs(t, f.Store, tc.q); !slices.Equal(got, tc.want) {
				t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
			}
		}
	})

	t.Run("pages follow the cursor, browsing and searching", func(t *testing.T) {
		for _, text := range []string{"", "the"} {
			var all []uint
			q := models.GalleryQuery{Text: text, Size: 1}
			for range 10 {
				p, err := f.Store.SearchStories(ctx, q)
				must(t, err)
				for _, st := range p.Stories {
					all = append(all, st.ID)
				}
				if p.Next.IsZero() {
					break
				}
				c, err := models.ParseGalleryCursor(p.Next.String())
				must(t, err)
				q.After = c
			}
			want := []uint{french.ID, arabic.ID, coder.ID, potter.ID}
			if text != "" {
				want = []uint{coder.ID, potter.ID} // "the" is in these two, by submission
			}
			if !slices.Equal(all, want) {
				t.Errorf("search %q: pages gave %v, want %v", text, all, want)
			}
		}
	})

	t.Run("the index follows moderation and withdrawal", func(t *testing.T) {
		potter.Status = models.StoryPublished
		must(t, f.Store.ModerateStory(ctx, f.AgadirCoo.Actor(), potter, models.ActionUnpublish, ""))
		if got := galleryIDs(t, f.Store, models.GalleryQuery{Text: "clay"}); len(got) != 0 {
			t.Errorf("unpublished story still found: %v", got)
		}
		potter.Status = models.StoryHidden
		must(t, f.Store.ModerateStory(ctx, f.AgadirCoo.Actor(), potter, models.ActionPublish, ""))
		if got := galleryIDs(t, f.Store, models.GalleryQuery{Text: "clay"}); !slices.Equal(got, []uint{potter.ID}) {
			t.Errorf("published again: got %v", got)
		}
		// A moderator's correction of a published story: the index has the
		// new words only.
		stored, err := f.Store.Story(ctx, potter.ID)
		must(t, err)
		e := stored.Edit()
		e.Body = strings.ReplaceAll(e.Body, "clay", "earthenware")
		must(t, f.Store.EditStory(ctx, f.AgadirCoo.Actor(), stored, e, stored.Version(), false))
		if got := galleryIDs(t, f.Store, models.GalleryQuery{Text: "clay"}); len(got) != 0 {
			t.Errorf("the corrected-away word is still found: %v", got)
		}
		if got := galleryIDs(t, f.Store, models.GalleryQuery{Text: "earthenware"}); !slices.Equal(got, []uint{potter.ID}) {
			t.Errorf("the corrected word: got %v", got)
		}
		_, err = f.Store.WithdrawStory(ctx, code)
		must(t, err)
		if got := galleryIDs(t, f.Store, models.GalleryQuery{Text: "laptop"}); len(got) != 0 {
			t.Errorf("withdrawn story still found: %v", got)
		}
	})
}

func TestGalleryCursor(t *testing.T) {
	for _, bad := range []string{"x", "-", "1-", "-1", "zz-0", "1-zzzzzzzzzzzz", strings.Repeat("1", 50) + "-1"} {
		if _, err := models.ParseGalleryCursor(bad); err == nil {
			t.Errorf("cursor %q accepted", bad)
		}
	}
	if c, err := models.ParseGalleryCursor(""); err != nil || !c.IsZero() {
		t.Errorf("empty cursor: %v %v", c, err)
	}
}

// TestErasureLeavesNoWordInSearchIndex: the words of a published story
// that is withdrawn are gone from the search index too, in the database
// file and its log, not only its text from the stories table.
func TestErasureLeavesNoWordInSearchIndex(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	if f.Store.Dialect() != "sqlite" {
		t.Skip("checks the SQLite files")
	}
	ctx := context.Background()
	// Other stories share the index's pages, as they would in real use.
	for range 30 {
		st := f.ValidStory()
		st.Body = strings.Repeat("An ordinary story about the library and reading. ", 10)
		publishStory(t, f, st)
	}
	st := f.ValidStory()
	st.Title = "Quokkatitle wombatword"
	st.Body = strings.Repeat("Marmaladebody platypusword zanzibarword. ", 100)
	code := publishStory(t, f, st)
	if got := galleryIDs(t, f.Store, models.GalleryQuery{Text: "platypusword"}); !slices.Equal(got, []uint{st.ID}) {
		t.Fatalf("published story not found: %v", got)
	}
	_, err := f.Store.WithdrawStory(ctx, code)
	must(t, err)
	files, err := filepath.Glob(filepath.Join(filepath.Dir(f.PhotoDir), "*.db*"))
	must(t, err)
	for _, file := range files {
		data, err := os.ReadFile(file)
		must(t, err)
		for _, word := range []string{"quokkatitle", "wombatword", "marmaladebody", "platypusword", "zanzibarword"} {
			if bytes.Contains(bytes.ToLower(data), []byte(word)) {
				t.Errorf("%s still holds %q", filepath.Base(file), word)
			}
		}
	}
}

// TestSearchStoriesFoldsAndNames runs on both engines: a search ignores
// accents and Arabic marks, finds a word of four letters or more as the
// start of longer ones, and finds a story by its author's public name and
// by any name of its city.
func TestSearchStoriesFoldsAndNames(t *testing.T) {
	f := storetest.NewFixture(t)
	ctx := context.Background()
	fez := *f.Fez
	fez.Names = []models.CityName{{Lang: "ar", Name: "فاس"}, {Lang: "fr", Name: "Fès"}}
	must(t, f.Store.UpdateCity(ctx, models.CLIActor(), &fez, nil))
	mk := func(city uint, title, body, name string) *models.Story {
		st := f.ValidStory()
		st.CityID, st.Title, st.Body, st.DisplayName = city, title, body, name
		publishStory(t, f, st)
		return st
	}
	ecole := mk(f.Agadir.ID, "L'École de la deuxième chance", "J'ai repris mes études à quarante ans, le soir après le travail.", "Karim Benali")
	arabic := mk(f.Agadir.ID, "مَدْرَسَةُ الحَيّ", "تعلّمتُ الخياطة في مدرسة الحي مع نساء أخريات.", "سعاد")
	inFez := mk(f.Fez.ID, "Weaving lessons", "My aunt showed me the old patterns every week.", "Meriem Tazi")
	// A learner under 18: the public sees the first name only, and the
	// search finds them by no name.
	minor := f.ValidStory()
	minor.Title, minor.Body, minor.DisplayName = "Night classes", "I finished school at night after my shifts.", "Rachid Amrani"
	minor.AgeGroup, minor.Minor, minor.GuardianConsent = models.AgeYouth, true, true
	publishStory(t, f, minor)

	cases := []struct {
		text string
		want []uint
	}{
		{"ecole", []uint{ecole.ID}},
		{"ÉCOLE", []uint{ecole.ID}},
		{"etudes", []uint{ecole.ID}},
		{"deuxieme chance", []uint{ecole.ID}},
		{"deuxiem", nil},             // seven letters: whole words only
		{"etud", []uint{ecole.ID}},   // four letters: the start of a word
		{"mes", []uint{ecole.ID}},    // three: whole words only (not "mesure")
		{"مدرسة", []uint{arabic.ID}}, // marks aside
		{"مَدرسة", []uint{arabic.ID}},
		{"karim", []uint{ecole.ID}}, // the author
		{"benali", []uint{ecole.ID}},
		{"amrani", nil}, // under 18: not by the name
		{"rachid", nil},
		{"fez", []uint{inFez.ID}}, // the city
		{"fes", []uint{inFez.ID}}, // by its other names
		{"FÈS", []uint{inFez.ID}},
		{"فاس", []uint{inFez.ID}},
		{"weaving fes", []uint{inFez.ID}},
		{"weaving agadir", nil},
		{"agadir night", []uint{minor.ID}},
	}
	for _, tc := range cases {
		if got := galleryIDs(t, f.Store, models.GalleryQuery{Text: tc.text}); !slices.Equal(got, tc.want) {
			t.Errorf("%q: got %v, want %v", tc.text, got, tc.want)
		}
	}
	defer store.SetCommonWordScan(time.Nanosecond)()
	for _, tc := range cases {
		if got := galleryIDs(t, f.Store, models.GalleryQuery{Text: tc.text}); !slices.Equal(got, tc.want) {
			t.Errorf("%q, a rare word's way: got %v, want %v", tc.text, got, tc.want)
		}
	}
}
