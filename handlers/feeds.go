package handlers

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/views"
)

// atomFeed is an Atom 1.0 feed (RFC 4287).
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomPerson  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	Title     string     `xml:"title"`
	ID        string     `xml:"id"`
	Updated   string     `xml:"updated"`
	Published string     `xml:"published"`
	Link      atomLink   `xml:"link"`
	Author    atomPerson `xml:"author"`
	Summary   atomText   `xml:"summary"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

// storiesFeed is the Atom feed of published stories, network-wide.
func (h *Handler) storiesFeed(c echo.Context) error {
	return h.writeFeed(c, nil)
}

// cityStoriesFeed is the Atom feed of a city's published stories.
func (h *Handler) cityStoriesFeed(c echo.Context) error {
	city, err := h.store.CityBySlug(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	return h.writeFeed(c, city)
}

// writeFeed writes the 50 latest published stories of city (all when nil).
// Only published stories are read, and only what their pages show.
func (h *Handler) writeFeed(c echo.Context, city *models.City) error {
	ctx := c.Request().Context()
	// The gallery's query: the newest first, without counting them all.
	q := models.GalleryQuery{Size: 50}
	vctx := h.viewContext(c)
	title := views.T(vctx, "feed.title")
	self := "/stories/feed.atom"
	alternate := "/"
	if city != nil {
		q.CityIDs = []uint{city.ID}
		title = views.Tf(vctx, "feed.city_title", map[string]any{"City": city.Name})
		self = views.CityURL(city) + "/stories.atom"
		alternate = views.CityURL(city)
	}
	stories, err := h.store.SearchStories(ctx, q)
	if err != nil {
		return err
	}
	// Absolute links come from the settings, never from the Host header,
	// which any client can set.
	base := h.cfg.BaseURL
	updated := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	feed := atomFeed{
		Title: title, ID: base + self,
		Links:  []atomLink{{Href: base + self, Rel: "self", Type: "application/atom+xml"}, {Href: base + alternate, Rel: "alternate", Type: "text/html"}},
		Author: atomPerson{Name: views.T(vctx, "app.name")},
	}
	for _, st := range stories.Stories {
		published := st.SubmittedAt
		if st.PublishedAt != nil {
			published = *st.PublishedAt
		}
		if published.After(updated) {
			updated = published
		}
		author := st.PublicName()
		if author == "" {
			author = views.T(vctx, "story.anonymous_author")
		}
		feed.Entries = append(feed.Entries, atomEntry{
			Title: st.Title, ID: fmt.Sprintf("%s/stories/%d", base, st.ID),
			Updated: published.UTC().Format(time.RFC3339), Published: published.UTC().Format(time.RFC3339),
			Link:    atomLink{Href: fmt.Sprintf("%s/stories/%d", base, st.ID), Rel: "alternate", Type: "text/html"},
			Author:  atomPerson{Name: author},
			Summary: atomText{Type: "text", Body: st.Body},
		})
	}
	feed.Updated = updated.UTC().Format(time.RFC3339)
	out, err := xml.MarshalIndent(feed, "", "  ")
	if err != nil {
		return err
	}
	// Caches must ask again: a withdrawn story leaves the feed at once.
	c.Response().Header().Set("Cache-Control", "no-cache")
	return c.Blob(http.StatusOK, "application/atom+xml; charset=utf-8", append([]byte(xml.Header), out...))
}
