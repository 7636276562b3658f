package handlers

import (
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/static"
)

// staticFile serves a file under /static. Pages link to content-hashed
// names (static.URL), which browsers and proxies may keep for a year; the
// plain names still answer, but must be checked again. Files are
// compressed once, when the program starts, not on every request.
func (h *Handler) staticFile(c echo.Context) error {
	a, immutable := static.Lookup(c.Param("*"))
	if a == nil {
		return models.ErrNotFound
	}
	hdr := c.Response().Header()
	etag := `"` + a.Hash + `"`
	hdr.Set("ETag", etag)
	hdr.Set("Vary", "Accept-Encoding")
	if immutable {
		hdr.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		hdr.Set("Cache-Control", "public, no-cache")
	}
	if c.Request().Header.Get("If-None-Match") == etag {
		return c.NoContent(http.StatusNotModified)
	}
	body := a.Body
	switch br := a.Brotli(); {
	case br != nil && accepts(c.Request(), "br"):
		hdr.Set("Content-Encoding", "br")
		body = br
	case a.Gzip != nil && accepts(c.Request(), "gzip"):
		hdr.Set("Content-Encoding", "gzip")
		body = a.Gzip
	}
	ctype := mime.TypeByExtension(path.Ext(a.Name))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	return c.Blob(http.StatusOK, ctype, body)
}

// accepts reports whether the client takes responses in the content
// coding ("gzip", "br").
func accepts(r *http.Request, want string) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(coding), want) {
			q := strings.ReplaceAll(params, " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}
