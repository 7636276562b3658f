package views

import (
	"context"
	"strings"
)

// Meta is what a page says about itself to search engines and, when it
// can be shared, to link previews (Open Graph, Twitter cards).
type Meta struct {
	// Description is the page's summary; "" is the site's.
	Description string
	// URL is the page's absolute public address; set only on pages meant
	// to be shared, which then get Open Graph and Twitter card tags.
	URL string
	// Image is the absolute address of the page's photo ("" for none),
	// ImageAlt its description.
	Image, ImageAlt string
	// Lang is the language of the page's content ("" the interface's).
	Lang string
	// Refresh, when above 0, reloads the page every so many seconds: a
	// page that follows work under way, without JavaScript.
	Refresh int
}

// description is the page's description, or the site's.
func description(ctx context.Context, m Meta) string {
	if m.Description != "" {
		return m.Description
	}
	return T(ctx, "meta.default")
}

// ogLocale is a language tag the way Open Graph writes locales (fr_FR
// style: an underscore; a bare language is allowed).
func ogLocale(lang string) string {
	return strings.ReplaceAll(lang, "-", "_")
}
