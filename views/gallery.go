package views

import (
	"context"
	"net/url"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// GalleryFilter is the gallery's query: what its GET form sends and its
// links keep.
type GalleryFilter struct {
	Query  string
	City   string // slug
	Region string
	Area   string
	Lang   string
	After  string // cursor of the page, "" for the first
}

// Values is the filter as URL query values, without the page's cursor.
func (f GalleryFilter) Values() url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"q": f.Query, "city": f.City, "region": f.Region, "area": f.Area, "lang": f.Lang} {
		if s != "" {
			v.Set(k, s)
		}
	}
	return v
}

// Filtered reports whether any filter or search is set.
func (f GalleryFilter) Filtered() bool { return len(f.Values()) > 0 }

// GalleryPage is the data of the public stories gallery.
type GalleryPage struct {
	Filter  GalleryFilter
	Stories []StoryCard
	Cities  []models.City
	// Next is the cursor of the next page, "" on the last.
	Next string
}

// galleryURL is the gallery with f's filters, from the page after cursor
// ("" for the first page).
func galleryURL(f GalleryFilter, cursor string) string {
	v := f.Values()
	if cursor != "" {
		v.Set("after", cursor)
	}
	if len(v) == 0 {
		return "/stories"
	}
	return "/stories?" + v.Encode()
}

// galleryTitle names the gallery page, and says when it is not the first.
func galleryTitle(ctx context.Context, f GalleryFilter) string {
	if f.After != "" {
		return T(ctx, "gallery.title_older")
	}
	return T(ctx, "gallery.title")
}

// photoLoading is how a card's photo loads: at once in the first row
// (the page's largest content), lazily below it.
func photoLoading(firstRow bool) string {
	if firstRow {
		return "eager"
	}
	return "lazy"
}
