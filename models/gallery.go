package models

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// Limits of a gallery search.
const (
	// MaxSearchLen is the longest search text accepted, in bytes.
	MaxSearchLen = 200
	// GallerySize is how many stories a gallery page shows.
	GallerySize = 12
)

// ErrBadCursor means a gallery cursor is not one the gallery made.
var ErrBadCursor = errors.New("not a gallery position")

// GalleryCursor is where a gallery page starts: after the story with ID,
// published at PublishedAt. The zero cursor is the first page.
type GalleryCursor struct {
	PublishedAt time.Time
	ID          uint
}

// IsZero reports whether c is the first page.
func (c GalleryCursor) IsZero() bool { return c.ID == 0 }

// String encodes the cursor for a URL ("" for the first page).
func (c GalleryCursor) String() string {
	if c.IsZero() {
		return ""
	}
	return strconv.FormatInt(c.PublishedAt.UnixNano(), 36) + "-" + strconv.FormatUint(uint64(c.ID), 36)
}

// ParseGalleryCursor decodes a cursor made by String; "" is the first page.
func ParseGalleryCursor(s string) (GalleryCursor, error) {
	if s == "" {
		return GalleryCursor{}, nil
	}
	at, id, ok := strings.Cut(s, "-")
	t, err1 := strconv.ParseInt(at, 36, 64)
	n, err2 := strconv.ParseUint(id, 36, 32)
	if !ok || err1 != nil || err2 != nil || n == 0 || len(s) > 40 {
		return GalleryCursor{}, ErrBadCursor
	}
	return GalleryCursor{PublishedAt: time.Unix(0, t).UTC(), ID: uint(n)}, nil
}

// GalleryQuery asks for one page of published stories. Zero values match
// everything.
type GalleryQuery struct {
	// Text is searched for in titles and texts: stories with every word of
	// it, whole words, in any case.
	Text string
	// CityIDs narrows to these cities (one city, or a region's).
	CityIDs []uint
	Area    LearningArea
	// Lang is the language the stories are written in.
	Lang  string
	After GalleryCursor
	// Size is the page size (0: GallerySize).
	Size int
}

// GalleryPage is one page of the gallery. Next is the cursor of the
// following page, zero on the last.
type GalleryPage struct {
	Stories []Story
	Next    GalleryCursor
}
