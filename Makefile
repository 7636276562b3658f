# LearnThroughLife tracker. Needs only Go and a C compiler (for SQLite).
GO ?= go
BIN := bin/tracker

.DEFAULT_GOAL := help

.PHONY: help run build test generate check fmt clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

run: build ## start the app on http://localhost:8080 with SQLite and demo data
	./$(BIN) serve --demo

build: ## build bin/tracker
	$(GO) build -o $(BIN) ./cmd/tracker

test: ## run the whole test suite (race detector on)
	$(GO) test -race -count=1 ./...

generate: ## regenerate the templ views
	$(GO) tool templ generate

check: ## gofmt, go vet, templ fmt and go.mod tidiness
	@test -z "$$(gofmt -l cmd handlers models views static)" || (gofmt -l cmd handlers models views static; echo "gofmt needed"; exit 1)
	$(GO) vet ./...
	$(GO) tool templ fmt -fail views
	$(GO) mod tidy -diff

fmt: ## format Go and templ files
	gofmt -w cmd handlers models views static
	$(GO) tool templ fmt views

clean: ## remove the build output (not the data)
	rm -rf bin
