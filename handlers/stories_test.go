package handlers_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// upload is a file part of a multipart form.
type upload struct {
	name, contentType string
	data              []byte
}

// postMultipart sends a multipart form with the client's CSRF token.
func (c *client) postMultipart(t testing.TB, path string, form url.Values, file *upload) *response {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	if _, set := form["_csrf"]; !set {
		w.WriteField("_csrf", c.csrfOrFetch(t))
	}
	for k, vs := range form {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	if file != nil {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="photo"; filename=%q`, file.name))
		h.Set("Content-Type", file.contentType)
		part, err := w.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		part.Write(file.data)
	}
	w.Close()
	req, err := http.NewRequest(http.MethodPost, c.app.srv.URL+path, &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(t, req)
}

func validStoryForm() url.Values {
	return url.Values{
		"city": {"agadir"}, "title": {"I learned to read"}, "body": {"The literacy circle at the library changed my life, week after week."},
		"display_name": {"Fatima Zahra"}, "age_group": {"adults"}, "learning_areas": {"families-communities"},
		"publication_consent": {"true"}, "contact_email": {"fatima@private.example"},
	}
}

// photoWithGPS is a JPEG whose EXIF block carries a GPS-like marker.
func photoWithGPS(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for i := range img.Pix {
		img.Pix[i] = 200
	}
	img.Set(1, 1, color.Black)
	var enc bytes.Buffer
	if err := jpeg.Encode(&enc, img, nil); err != nil {
		t.Fatal(err)
	}
	payload := []byte("Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08\x00\x00GPS 30.42N 9.59W")
	var out bytes.Buffer
	out.Write(enc.Bytes()[:2])
	out.Write([]byte{0xFF, 0xE1})
	binary.Write(&out, binary.BigEndian, uint16(len(payload)+2))
	out.Write(payload)
	out.Write(enc.Bytes()[2:])
	return out.Bytes()
}

func (a *app) countStories(t testing.TB) int64 {
	t.Helper()
	p, err := a.store.Stories(context.Background(), models.StoryFilter{}, models.Page{Size: 1})
	must(t, err)
	return p.Total
}

// photoFiles lists the files in the photo directory.
func (a *app) photoFiles() []string {
	files, _ := filepath.Glob(filepath.Join(a.photoDir, "*"))
	return files
}

// submit posts a story and returns its receipt code.
func (a *app) submit(t testing.TB, form url.Values, file *upload) string {
	t.Helper()
	c := a.client()
	res := c.postMultipart(t, "/stories", form, file)
	wantStatus(t, res, http.StatusSeeOther)
	thanks := c.get(t, "/stories/thanks")
	code := strings.TrimSpace(thanks.doc(t).Find("[data-testid=receipt-code]").Text())
	if code == "" {
		t.Fatalf("no receipt code on the thanks page:\n%s", thanks.body)
	}
	// The code is shown once only.
	if again := c.get(t, "/stories/thanks"); strings.Contains(again.body, code) {
		t.Error("receipt code shown a second time")
	}
	return code
}

func (a *app) storyByCode(t testing.TB, code string) *models.Story {
	t.Helper()
	st, err := a.store.StoryByReceipt(context.Background(), code)
	must(t, err)
	return st
}

// TestStoryWithoutANameIsAnonymous: the name to show is optional, as its
// label says; left empty, the story is kept to be published without one,
// and a receipt code typed with 0 for O, 1 for I or 8 for B still finds it.
func TestStoryWithoutANameIsAnonymous(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	form := validStoryForm()
	form.Set("display_name", "  ")
	form.Del("anonymous")
	code := a.submit(t, form, nil)
	if st := a.storyByCode(t, code); !st.Anonymous || st.DisplayName != "" {
		t.Errorf("stored %+v, want an anonymous story", st)
	}
	typo := strings.NewReplacer("O", "0", "I", "1", "B", "8").Replace(strings.ToLower(code))
	res := a.client().post(t, "/stories/status", url.Values{"code": {typo}})
	wantStatus(t, res, http.StatusOK)
	if res.doc(t).Find("[data-testid=story-status]").Length() != 1 {
		t.Errorf("the code %q (for %q) finds nothing", typo, code)
	}
}

func TestStoryConsents(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	tests := []struct {
		name  string
		edit  func(f url.Values)
		field string // "" when the story must be accepted
	}{
		{"adult with consent", func(f url.Values) {}, ""},
		{"no publication consent", func(f url.Values) { f.Del("publication_consent") }, "publication_consent"},
		{"child without guardian consent", func(f url.Values) { f.Set("age_group", "children") }, "guardian_consent"},
		{"youth under 18 without guardian consent", func(f url.Values) { f.Set("age_group", "youth"); f.Set("minor", "true") }, "guardian_consent"},
		{"child with guardian consent", func(f url.Values) { f.Set("age_group", "children"); f.Set("guardian_consent", "true") }, ""},
		{"youth over 18 without guardian consent", func(f url.Values) { f.Set("age_group", "youth") }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := validStoryForm()
			tt.edit(form)
			before := a.countStories(t)
			res := a.client().postMultipart(t, "/stories", form, nil)
			if tt.field == "" {
				wantStatus(t, res, http.StatusSeeOther)
				if a.countStories(t) != before+1 {
					t.Error("story not stored")
				}
				return
			}
			wantStatus(t, res, http.StatusUnprocessableEntity)
			doc := res.doc(t)
			if doc.Find("[data-testid=error-"+tt.field+"]").Length() != 1 {
				t.Errorf("no error beside %s", tt.field)
			}
			if got := doc.Find("#body").Text(); got != form.Get("body") {
				t.Errorf("story text not kept: %q", got)
			}
			if a.countStories(t) != before {
				t.Error("a refused story was stored")
			}
		})
	}
}

func TestStoryBadInputWritesNothing(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	good := photoWithGPS(t)
	tests := []struct {
		name  string
		edit  func(f url.Values)
		file  *upload
		field string
	}{
		{"unknown city", func(f url.Values) { f.Set("city", "atlantis") }, nil, "city"},
		{"no city", func(f url.Values) { f.Del("city") }, nil, "city"},
		{"long title", func(f url.Values) { f.Set("title", strings.Repeat("t", 121)) }, nil, "title"},
		{"long text", func(f url.Values) { f.Set("body", strings.Repeat("word ", 1001)) }, nil, "body"},
		{"long name", func(f url.Values) { f.Set("display_name", strings.Repeat("n", 61)) }, nil, "display_name"},
		{"bad email", func(f url.Values) { f.Set("contact_email", "not an email") }, nil, "contact_email"},
		{"bad age group", func(f url.Values) { f.Set("age_group", "immortal") }, nil, "age_group"},
		{"text file as photo", nil, &upload{"notes.txt", "text/plain", []byte("just some text, not a photo")}, "photo"},
		{"spoofed type", nil, &upload{"evil.jpg", "image/jpeg", []byte("<html><script>alert(1)</script></html>")}, "photo"},
		{"PNG claim on a JPEG", nil, &upload{"photo.png", "image/png", good}, "photo"},
		{"truncated photo", nil, &upload{"cut.jpg", "image/jpeg", good[:len(good)/3]}, "photo"},
		{"too large", nil, &upload{"big.jpg", "image/jpeg", append(append([]byte{}, good...), make([]byte, models.MaxPhotoBytes)...)}, "photo"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := validStoryForm()
			if tt.edit != nil {
				tt.edit(form)
			}
			res := a.client().postMultipart(t, "/stories", form, tt.file)
			wantStatus(t, res, http.StatusUnprocessableEntity)
			doc := res.doc(t)
			if doc.Find("[data-testid=error-"+tt.field+"]").Length() != 1 {
				t.Errorf("no error beside %s", tt.field)
			}
			if got := doc.Find("#body").Text(); tt.field != "body" && got != form.Get("body") {
				t.Errorf("story text not kept: %q", got)
			}
			if a.countStories(t) != 0 {
				t.Fatal("a refused story was stored")
			}
			if files := a.photoFiles(); len(files) != 0 {
				t.Fatalf("files left on disk: %v", files)
			}
		})
	}
	// A body over the limit is refused before anything is read.
	res := a.client().postMultipart(t, "/stories", validStoryForm(), &upload{"huge.jpg", "image/jpeg", make([]byte, 25<<20)})
	wantStatus(t, res, http.StatusRequestEntityTooLarge)
	if a.countStories(t) != 0 || len(a.photoFiles()) != 0 {
		t.Fatal("an oversized request left a story or a file")
	}
}

func TestErrorSummaryNamesTheFieldInEveryLanguage(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	for lang, want := range map[string]string{
		"en": "Title: This is required.",
		"fr": "Titre\u202f: Ce champ est obligatoire.",
		"es": "Título: Este campo es obligatorio.",
		"ar": "العنوان: هذا الحقل مطلوب.",
	} {
		t.Run(lang, func(t *testing.T) {
			c := a.client()
			wantStatus(t, c.post(t, "/language", url.Values{"lang": {lang}, "next": {"/stories/new"}}), http.StatusSeeOther)
			form := validStoryForm()
			form.Set("title", "")
			res := c.postMultipart(t, "/stories", form, nil)
			wantStatus(t, res, http.StatusUnprocessableEntity)
			item := res.doc(t).Find("[data-testid=error-summary] [data-testid=summary-title]")
			if href, _ := item.Attr("href"); item.Text() != want || href != "#title" {
				t.Errorf("summary item = %q (href %q), want %q", item.Text(), href, want)
			}
		})
	}
}

func TestErrorSummaryFollowsTheFormsOrder(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	form := validStoryForm()
	form.Set("title", "")
	form.Set("body", "short")
	form.Del("age_group")
	var order []string
	a.client().postMultipart(t, "/stories", form, nil).doc(t).Find("[data-testid=error-summary] a").Each(func(_ int, s *goquery.Selection) {
		order = append(order, s.AttrOr("href", ""))
	})
	if got := strings.Join(order, " "); got != "#title #body #age_group" {
		t.Errorf("summary order = %s, want the form's", got)
	}
}

func TestStoryLifecycleWithPhoto(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	code := a.submit(t, validStoryForm(), &upload{"me.jpg", "image/jpeg", photoWithGPS(t)})
	st := a.storyByCode(t, code)
	if st.Status != models.StoryPending || !st.HasPhoto() || st.CityID != a.agadir.ID {
		t.Fatalf("stored story = %+v", st)
	}
	storyPath := fmt.Sprintf("/stories/%d", st.ID)
	public := a.client()

	// Pending: invisible to the public.
	wantStatus(t, public.get(t, storyPath), http.StatusNotFound)
	wantStatus(t, public.get(t, storyPath+"/photo"), http.StatusNotFound)
	for _, path := range []string{"/", "/cities/agadir", "/stories", "/stories?q=read", "/stories/feed.atom", "/cities/agadir/stories.atom"} {
		if strings.Contains(public.get(t, path).body, "I learned to read") {
			t.Errorf("pending story visible on %s", path)
		}
	}
	// Its status with the code.
	status := public.post(t, "/stories/status", url.Values{"code": {code}})
	wantStatus(t, status, http.StatusOK)
	if got := status.doc(t).Find("[data-testid=status-value]").Text(); got != "Waiting for moderation" {
		t.Errorf("status = %q", got)
	}
	wantStatus(t, public.post(t, "/stories/status", url.Values{"code": {"AAAA-BBBB-CCCC-DDDD-EEEE-FFFF"}}), http.StatusUnprocessableEntity)

	// Another city's coordinator can neither see nor decide.
	fez := a.loggedIn(t, "fez@example.org")
	wantStatus(t, fez.get(t, "/manage/stories/"+fmt.Sprint(st.ID)), http.StatusForbidden)
	wantStatus(t, fez.post(t, fmt.Sprintf("/manage/stories/%d/publish", st.ID), nil), http.StatusForbidden)
	wantStatus(t, fez.get(t, storyPath+"/photo"), http.StatusNotFound)
	if strings.Contains(fez.get(t, "/manage/stories").body, "I learned to read") {
		t.Error("another city's coordinator sees the story in the queue")
	}
	if a.storyByCode(t, code).Status != models.StoryPending {
		t.Fatal("a foreign coordinator's decision went through")
	}

	// The city's coordinator sees it in the queue, with its waiting time and
	// the private contact, and publishes it.
	agadir := a.loggedIn(t, "agadir@example.org")
	queue := agadir.get(t, "/manage/stories").doc(t)
	if !strings.Contains(queue.Find("[data-testid=queue]").Text(), "I learned to read") || queue.Find("[data-testid=waiting]").Length() != 1 {
		t.Fatal("story not in the queue with its waiting time")
	}
	if waiting := queue.Find("[data-testid=waiting]").Text(); !strings.Contains(waiting, "minute") {
		t.Errorf("a story sent a moment ago is shown %q", waiting)
	}
	mod := agadir.get(t, fmt.Sprintf("/manage/stories/%d", st.ID))
	if !strings.Contains(mod.doc(t).Find("[data-testid=contact-email]").Text(), "fatima@private.example") {
		t.Error("moderator does not see the contact email")
	}
	wantStatus(t, agadir.get(t, storyPath+"/photo"), http.StatusOK)
	res := agadir.post(t, fmt.Sprintf("/manage/stories/%d/reject", st.ID), url.Values{"reason": {""}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if res.doc(t).Find("[data-testid=error-reason]").Length() != 1 {
		t.Error("no error beside the missing reason")
	}
	wantStatus(t, agadir.post(t, fmt.Sprintf("/manage/stories/%d/publish", st.ID), nil), http.StatusSeeOther)
	wantStatus(t, agadir.post(t, fmt.Sprintf("/manage/stories/%d/feature", st.ID), nil), http.StatusSeeOther)
	wantStatus(t, agadir.post(t, fmt.Sprintf("/manage/stories/%d/launch", st.ID), nil), http.StatusNotFound)

	// Published and featured: on the city page, the home page, the feeds,
	// its own page, and its photo without metadata.
	for _, path := range []string{"/", "/cities/agadir", storyPath, "/stories", "/stories?q=read", "/stories/feed.atom", "/cities/agadir/stories.atom"} {
		res := public.get(t, path)
		wantStatus(t, res, http.StatusOK)
		if !strings.Contains(res.body, "I learned to read") {
			t.Errorf("published story missing from %s", path)
		}
		if strings.Contains(res.body, "fatima@private.example") {
			t.Errorf("%s shows the learner's contact email", path)
		}
	}
	home := public.get(t, "/").doc(t)
	if !strings.Contains(home.Find("[data-testid=featured-stories]").Text(), "I learned to read") {
		t.Error("featured story not on the home page")
	}
	// The home page opens with it, photo and all: the only featured story.
	hero := home.Find("[data-testid=hero-story]")
	if src, _ := hero.Find("img").Attr("src"); src != storyPath+"/photo" || !strings.Contains(hero.Text(), "The literacy circle") {
		t.Errorf("home hero: photo %q, text %q", src, strings.TrimSpace(hero.Text()))
	}
	photo := public.get(t, storyPath+"/photo")
	wantStatus(t, photo, http.StatusOK)
	if photo.Header.Get("Content-Type") != "image/jpeg" || strings.Contains(photo.body, "GPS") || strings.Contains(photo.body, "Exif") {
		t.Error("served photo is not a clean JPEG")
	}

	// The learner withdraws it: asked first, then it disappears everywhere
	// and is erased.
	res = public.post(t, "/stories/withdraw", url.Values{"code": {code}})
	wantStatus(t, res, http.StatusOK)
	if res.doc(t).Find("[data-testid=confirm-withdraw]").Length() != 1 {
		t.Fatal("withdrawal not asked for confirmation")
	}
	if st := a.storyByCode(t, code); st.Status != models.StoryPublished || st.Title == "" {
		t.Fatalf("asking erased the story: %+v", st)
	}
	res = public.post(t, "/stories/withdraw", url.Values{"code": {code}, "confirm": {"yes"}})
	wantStatus(t, res, http.StatusOK)
	if res.doc(t).Find("[data-testid=withdrawn]").Length() != 1 {
		t.Error("withdrawal not confirmed")
	}
	wantStatus(t, public.get(t, storyPath), http.StatusNotFound)
	wantStatus(t, public.get(t, storyPath+"/photo"), http.StatusNotFound)
	for _, path := range []string{"/", "/cities/agadir", "/stories", "/stories?q=literacy", "/stories/feed.atom", "/cities/agadir/stories.atom", "/manage/stories?status=published"} {
		if strings.Contains(agadir.get(t, path).body, "I learned to read") {
			t.Errorf("withdrawn story still on %s", path)
		}
	}
	gone := a.storyByCode(t, code)
	if gone.Title != "" || gone.Body != "" || gone.ContactEmail != "" || gone.HasPhoto() {
		t.Errorf("withdrawn story keeps content: %+v", gone)
	}
	if files := a.photoFiles(); len(files) != 0 {
		t.Errorf("photo files left after withdrawal: %v", files)
	}
	// Nor in the audit log, which names records and fields, never content.
	staff := a.loggedIn(t, "staff@example.org")
	for _, page := range []*response{staff.get(t, "/manage/audit"), staff.get(t, "/dashboard"), agadir.get(t, "/dashboard")} {
		wantStatus(t, page, http.StatusOK)
		for _, content := range []string{"I learned to read", "literacy circle", "Fatima", "fatima@private.example"} {
			if strings.Contains(page.body, content) {
				t.Errorf("%s still shows %q", page.Request.URL.Path, content)
			}
		}
	}
}

func TestMinorsAreShownByFirstNameOnly(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	form := validStoryForm()
	form.Set("display_name", "Adam Benali")
	form.Set("age_group", "children")
	form.Set("guardian_consent", "true")
	code := a.submit(t, form, nil)
	st := a.storyByCode(t, code)
	c := a.loggedIn(t, "agadir@example.org")
	wantStatus(t, c.post(t, fmt.Sprintf("/manage/stories/%d/publish", st.ID), nil), http.StatusSeeOther)
	for _, path := range []string{fmt.Sprintf("/stories/%d", st.ID), "/cities/agadir", "/stories", "/stories/feed.atom"} {
		body := a.client().get(t, path).body
		if strings.Contains(body, "Benali") {
			t.Errorf("%s shows a minor's full name", path)
		}
		if !strings.Contains(body, "Adam") {
			t.Errorf("%s does not show the first name", path)
		}
	}
}

func TestStoryScriptIsEscapedEverywhere(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	form := validStoryForm()
	form.Set("title", `<script>alert("t")</script>`)
	form.Set("body", `<img src=x onerror=alert(1)> and a long enough story text`)
	code := a.submit(t, form, nil)
	st := a.storyByCode(t, code)
	c := a.loggedIn(t, "agadir@example.org")
	wantStatus(t, c.post(t, fmt.Sprintf("/manage/stories/%d/publish", st.ID), nil), http.StatusSeeOther)
	wantStatus(t, c.post(t, fmt.Sprintf("/manage/stories/%d/feature", st.ID), nil), http.StatusSeeOther)
	for _, path := range []string{"/", "/cities/agadir", fmt.Sprintf("/stories/%d", st.ID), "/stories", "/stories/feed.atom", "/cities/agadir/stories.atom", "/manage/stories?status=published", fmt.Sprintf("/manage/stories/%d", st.ID), "/dashboard"} {
		body := c.get(t, path).body
		if strings.Contains(body, `<script>alert`) || strings.Contains(body, `<img src=x`) {
			t.Errorf("%s renders the learner's markup", path)
		}
	}
	status := a.client().post(t, "/stories/status", url.Values{"code": {code}})
	if strings.Contains(status.body, `<script>alert`) {
		t.Error("status page renders the learner's markup")
	}
}

func TestStoryRateLimitAndHoneypot(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.client()
	for range 5 {
		wantStatus(t, c.postMultipart(t, "/stories", validStoryForm(), nil), http.StatusSeeOther)
	}
	res := c.postMultipart(t, "/stories", validStoryForm(), nil)
	wantStatus(t, res, http.StatusTooManyRequests)
	doc := res.doc(t)
	if doc.Find("[data-testid=rate-limited]").Length() != 1 {
		t.Error("no message when the limit is hit")
	}
	if got := doc.Find("#body").Text(); got != validStoryForm().Get("body") {
		t.Errorf("text not kept when limited: %q", got)
	}
	if a.countStories(t) != 5 {
		t.Fatalf("stories = %d, want 5", a.countStories(t))
	}
	// Spoofing X-Forwarded-For does not reset the limit.
	form := validStoryForm()
	form.Set("_csrf", c.csrf())
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, vs := range form {
		w.WriteField(k, vs[0])
	}
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, a.srv.URL+"/stories", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("X-Forwarded-For", "203.0.113.9")
	wantStatus(t, c.do(t, req), http.StatusTooManyRequests)

	// A filled honeypot looks accepted but stores nothing.
	bot := newApp(t)
	form = validStoryForm()
	form.Set("website", "http://spam.example")
	wantStatus(t, bot.client().postMultipart(t, "/stories", form, nil), http.StatusSeeOther)
	if bot.countStories(t) != 0 {
		t.Fatal("honeypot submission stored")
	}
}

func TestStoryFormPreselectsCity(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	doc := a.client().get(t, "/stories/new?city=fez").doc(t)
	if v, _ := doc.Find("#city option[selected]").Attr("value"); v != "fez" {
		t.Errorf("preselected city = %q, want fez", v)
	}
	if doc.Find("form[action='/stories'][enctype='multipart/form-data'] input[name=_csrf]").Length() != 1 {
		t.Error("story form lacks its CSRF token or multipart encoding")
	}
}

// TestPhonePhotoIsAcceptedAndScaledDown: a photo the size today's phones
// take (here 6 MB, 2600 × 1950) is taken with the story and stored scaled
// down to 2,048 px on its long side.
func TestPhonePhotoIsAcceptedAndScaledDown(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	img := image.NewRGBA(image.Rect(0, 0, 2600, 1950))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
	}
	var enc bytes.Buffer
	if err := jpeg.Encode(&enc, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	// Phones write more than the pixels (previews, maps of depth): padding
	// after the image's end brings the file to 6 MB.
	data := append(enc.Bytes(), make([]byte, 6<<20-enc.Len())...)
	code := a.submit(t, validStoryForm(), &upload{"phone.jpg", "image/jpeg", data})
	st := a.storyByCode(t, code)
	files := a.photoFiles()
	if !st.HasPhoto() || len(files) != 1 {
		t.Fatalf("photo not stored: %+v, files %v", st, files)
	}
	stored, err := os.ReadFile(files[0])
	must(t, err)
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(stored))
	must(t, err)
	if cfg.Width != 2048 || cfg.Height != 1536 {
		t.Errorf("stored photo is %d × %d, want 2048 × 1536", cfg.Width, cfg.Height)
	}
}

// TestPhotoTooManyPixelsKeepsTheStory: a small file declaring a huge image
// is refused from its header, beside the photo field, with the story kept.
func TestPhotoTooManyPixelsKeepsTheStory(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	var b bytes.Buffer
	must(t, png.Encode(&b, image.NewNRGBA(image.Rect(0, 0, 1, 1))))
	huge := b.Bytes()
	binary.BigEndian.PutUint32(huge[16:], 7000)
	binary.BigEndian.PutUint32(huge[20:], 7000)
	huge[24] = 16 // bits per channel
	binary.BigEndian.PutUint32(huge[29:], crc32.ChecksumIEEE(huge[12:29]))
	c := a.client()
	res := c.postMultipart(t, "/stories", validStoryForm(), &upload{"huge.png", "image/png", huge})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	doc := res.doc(t)
	if doc.Find("[data-testid=error-photo]").Length() != 1 {
		t.Error("no error beside the photo field")
	}
	if got := doc.Find("#title").AttrOr("value", ""); got != validStoryForm().Get("title") {
		t.Errorf("title not kept: %q", got)
	}
	if a.countStories(t) != 0 || len(a.photoFiles()) != 0 {
		t.Error("a refused story was stored")
	}
}

// TestReceiptCanBeDownloaded: besides being written down, the receipt code
// can be saved as a small text file, straight from the page (no request
// carries it again).
func TestReceiptCanBeDownloaded(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.client()
	wantStatus(t, c.postMultipart(t, "/stories", validStoryForm(), nil), http.StatusSeeOther)
	doc := c.get(t, "/stories/thanks").doc(t)
	code := strings.TrimSpace(doc.Find("[data-testid=receipt-code]").Text())
	link := doc.Find("a[data-testid=receipt-download][download]")
	href, _ := link.Attr("href")
	text, err := url.PathUnescape(strings.TrimPrefix(href, "data:text/plain;charset=utf-8,"))
	must(t, err)
	if code == "" || !strings.HasPrefix(href, "data:text/plain") || !strings.Contains(text, code) {
		t.Errorf("no download of the code %q: %q", code, href)
	}
	// The code reads left to right in every page, and a phone breaks it
	// between its six groups only.
	shown := doc.Find("[data-testid=receipt-code]")
	if dir, _ := shown.Attr("dir"); dir != "ltr" || shown.Find("span").Length() != 6 || shown.Find("wbr").Length() != 5 {
		markup, _ := shown.Html()
		t.Errorf("the code is shown as %q", markup)
	}
	if dir, _ := c.get(t, "/stories/status").doc(t).Find("input#code").Attr("dir"); dir != "ltr" {
		t.Errorf("the code field has dir=%q", dir)
	}
}

// TestCityPickersGroupByCountry: the story form's city list, like every
// city select, groups the cities under their country, named in the
// page's language, without JavaScript.
func TestCityPickersGroupByCountry(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.client()
	for lang, morocco := range map[string]string{"en": "Morocco", "fr": "Maroc", "ar": "المغرب"} {
		c.setCookie("ltl_lang", lang)
		doc := c.get(t, "/stories/new").doc(t)
		group := doc.Find(fmt.Sprintf("select#city optgroup[label=%q]", morocco))
		if got := group.Find("option").Length(); got < 2 || !strings.Contains(group.Text(), "Agadir") {
			t.Errorf("%s: the %s group holds %d cities: %q", lang, morocco, got, group.Text())
		}
		if n := doc.Find("select#city > option").Length(); n != 1 {
			t.Errorf("%s: %d cities outside a country group", lang, n-1)
		}
	}
}
