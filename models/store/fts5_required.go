//go:build !sqlite_fts5 && !fts5

package store

// The gallery's search needs SQLite's FTS5, which go-sqlite3 compiles in
// only with a build tag. Build and test with -tags sqlite_fts5: the
// Makefile sets it for every target (GOFLAGS), so use make, or pass the
// tag yourself. Without it this file stops the build here, instead of
// the migration failing later with "no such module: fts5".
var _ = buildWithTag_sqlite_fts5_seeMakefile
