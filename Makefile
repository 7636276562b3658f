# LearnThroughLife tracker. Needs only Go and a C compiler (for SQLite).
GO ?= go
BIN := bin/tracker

.DEFAULT_GOAL := help

.PHONY: help run build test browser-deps bench generate generate-check check fmt clean

BENCH_DB := bench-data/scale.db

# SQLite's full-text search (FTS5) is compiled in only with this build tag;
# every go command below (build, test, vet, staticcheck) gets it.
TAGS := sqlite_fts5
export GOFLAGS := $(strip $(GOFLAGS) -tags=$(TAGS))

# BENCH_DATABASE_URL=postgres://… runs make bench on PostgreSQL instead: the
# dataset is loaded there (with COPY) when the database is empty.
ifdef BENCH_DATABASE_URL
BENCH_TARGET := $(BENCH_DATABASE_URL)
BENCH_SEED := ./$(BIN) seed --scale --if-empty --database-url '$(BENCH_TARGET)'
else
BENCH_TARGET := $(CURDIR)/$(BENCH_DB)
BENCH_SEED := test -f $(BENCH_DB) || ./$(BIN) seed --scale --database-url $(BENCH_DB)
endif

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

run: build ## start the app on http://localhost:8080 with SQLite and demo data
	./$(BIN) serve --demo

build: ## build bin/tracker
	$(GO) build -o $(BIN) ./cmd/tracker

test: ## run the whole test suite (race detector on; browser tests when Chromium is here)
	@command -v chromium >/dev/null 2>&1 && command -v java >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 && test -f .ci/node_modules/axe-core/axe.min.js \
		|| echo "NOTE: browser tests will be skipped: install Debian's chromium, default-jre-headless and poppler-utils, then run make browser-deps (REQUIRE_BROWSER=1 makes this a failure)"
	$(GO) test -race -count=1 -timeout 20m ./...

browser-deps: ## install the browser tests' npm tools (axe-core, vnu-jar) under .ci/node_modules
	cd .ci && npm install --no-package-lock --no-audit --no-fund

bench: build ## network-scale benchmarks: report engine, every GET route against its budget, page load (makes the dataset once, ~4 min); BENCH_DATABASE_URL=postgres://… for PostgreSQL
	@$(BENCH_SEED)
	BENCH_DB='$(BENCH_TARGET)' BENCH_BIN=$(CURDIR)/$(BIN) $(GO) test -run '^$$' -bench . -benchtime 1x -timeout 60m ./models/... ./handlers

generate: ## regenerate the templ views
	$(GO) tool templ generate

generate-check: ## fail when the committed *_templ.go files are out of date
	$(GO) tool templ generate
	@git diff --exit-code --stat -- 'views/*_templ.go' || (echo "generated templ files are out of date: run make generate and commit"; exit 1)
	@test -z "$$(git status --porcelain -- views | grep '_templ.go')" || (echo "new generated templ files are not committed"; exit 1)

# staticcheck's default checks, and doc comments of exported names too.
STATICCHECK_CHECKS := all,-ST1000,-ST1003

# The domain (models), the report engine and the views never reach a
# database driver, the ORM or the spreadsheet library.
check: generate-check ## generated files in sync, gofmt, go vet, staticcheck, templ fmt, go.mod tidy, import arrows, no binary or file over 1 MB tracked
	bash .ci/check-tracked
	$(GO) test -count=1 -run TestImportArrows ./models
	@test -z "$$(gofmt -l cmd handlers models views static)" || (gofmt -l cmd handlers models views static; echo "gofmt needed"; exit 1)
	$(GO) vet ./...
	$(GO) tool staticcheck -checks '$(STATICCHECK_CHECKS)' ./...
	$(GO) tool templ fmt -fail views
	$(GO) mod tidy -diff

fmt: ## format Go and templ files
	gofmt -w cmd handlers models views static
	$(GO) tool templ fmt views

clean: ## remove the build output and the benchmark dataset (not the data)
	rm -rf bin bench-data
