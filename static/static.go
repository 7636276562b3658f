// Package static embeds the stylesheets, vendored CSS, scripts and images
// served under /static, each also under a name that carries a hash of its
// content, so that browsers may keep it for a year: a changed file gets a
// new name.
package static

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
)

// Files holds everything under /static.
//
//go:embed css img js vendor
var Files embed.FS

// Asset is one static file, read once.
type Asset struct {
	// Name is the file's path under /static, and Hashed the same path with
	// a hash of the content before the extension (css/app.1a2b3c4d5e.css).
	Name, Hashed string
	// Hash is the hex of the content's hash in the name, and its ETag.
	Hash string
	Body []byte
	// Gzip is the body compressed, or nil when that does not make it
	// smaller (images).
	Gzip []byte

	brOnce sync.Once
	br     []byte
}

// Brotli is the body compressed with Brotli at its best quality, made on
// first use, or nil when gzip does not pay either. For the stylesheets it
// is 14% smaller than the gzip body (Pico: 11.7 to 10.1 KB); pages are not served with
// Brotli, which costs several times gzip's time per response.
func (a *Asset) Brotli() []byte {
	a.brOnce.Do(func() {
		if a.Gzip == nil {
			return
		}
		var z bytes.Buffer
		w := brotli.NewWriterLevel(&z, brotli.BestCompression)
		if _, err := w.Write(a.Body); err != nil || w.Close() != nil {
			return
		}
		if z.Len() < len(a.Gzip) {
			a.br = z.Bytes()
		}
	})
	return a.br
}

var (
	byName   = map[string]*Asset{}
	byHashed = map[string]*Asset{}
)

func init() {
	err := fs.WalkDir(Files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(name, ".md") || strings.HasSuffix(name, ".go") {
			return err
		}
		body, err := Files.ReadFile(name)
		if err != nil {
			return err
		}
		return add(name, body)
	})
	if err != nil {
		panic(fmt.Sprintf("static files: %v", err))
	}
}

// add keeps a file under its plain and its content-hashed name, with its
// gzip form when that is smaller.
func add(name string, body []byte) error {
	sum := sha256.Sum256(body)
	ext, hash := path.Ext(name), hex.EncodeToString(sum[:5])
	a := &Asset{Name: name, Hashed: strings.TrimSuffix(name, ext) + "." + hash + ext, Hash: hash, Body: body}
	var z bytes.Buffer
	w, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
	if _, err := w.Write(body); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	if z.Len() < len(body)*9/10 {
		a.Gzip = z.Bytes()
	}
	byName[name], byHashed[a.Hashed] = a, a
	return nil
}

// Add serves body as the static file name, for a file made when the
// program starts rather than kept in the repository (the world map's
// outlines, drawn from the views' data). Call it from an init function.
func Add(name string, body []byte) {
	if err := add(name, body); err != nil {
		panic(fmt.Sprintf("static file %s: %v", name, err))
	}
}

// URL is the address of the static file name (a path under /static such
// as "css/app.css") under its content-hashed name. It panics for a file
// that does not exist, which the tests of every page would show.
func URL(name string) string {
	a, ok := byName[name]
	if !ok {
		panic("static: no file " + name)
	}
	return "/static/" + a.Hashed
}

// Lookup finds a file by its path under /static: its hashed name
// (immutable reports true: the content at that address never changes) or
// its plain name.
func Lookup(name string) (a *Asset, immutable bool) {
	if a, ok := byHashed[name]; ok {
		return a, true
	}
	return byName[name], false
}
