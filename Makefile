# Debrief — `make help` lists the targets.
SHELL := /bin/bash
export CGO_ENABLED := 1
GO ?= go
PG_DSN ?= postgres://postgres@127.0.0.1:5432/test?sslmode=disable
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X github.com/debrief-hq/debrief/internal/app.Version=$(VERSION)
TEST_TIMEOUT ?= 20m

.PHONY: help run build test test-short test-web web check-web lint generate check-generated bench fuzz clean

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

build: ## build ./bin/debrief
	$(GO) build -ldflags '$(LDFLAGS)' -o bin/debrief ./cmd/debrief

run: build ## start the server on SQLite in ./data at 127.0.0.1:8080
	./bin/debrief serve

test: test-web ## run every test with the race detector (PostgreSQL too when DEBRIEF_TEST_POSTGRES_DSN is set), and the client's unit tests
	$(GO) test -race -count=1 -timeout $(TEST_TIMEOUT) ./...

web/node_modules: web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	@touch web/node_modules

test-web: web/node_modules ## run the browser client's unit tests (vitest)
	cd web && npx vitest run

web: web/node_modules ## rebuild the browser client into web/dist (committed, embedded in the binary)
	cd web && npm run build

check-web: web ## fail when web/dist is not what its source builds
	@git add -N web/dist >/dev/null 2>&1; \
	if ! git diff --quiet -- web/dist; then \
	  echo "web/dist is out of date: run 'make web' and commit"; git status --short web/dist; exit 1; fi

test-short: ## run the tests without the race detector
	$(GO) test -count=1 ./...

lint: ## gofmt and go vet
	@test -z "$$(gofmt -l $$(git ls-files '*.go' | grep -v '^ent/'))" || (gofmt -l $$(git ls-files '*.go' | grep -v '^ent/'); exit 1)
	$(GO) vet ./...

generate: ## regenerate ent code and the next migrations (needs PostgreSQL at PG_DSN)
	$(GO) generate ./ent
	$(GO) run ./internal/store/migrategen -name $${NAME:-changes} -postgres '$(PG_DSN)'

check-generated: generate ## fail when generated code or migrations drift from ent/schema
	@git add -N ent migrations >/dev/null 2>&1; \
	if ! git diff --quiet -- ent migrations; then \
	  echo "generated code or migrations are out of date: run 'make generate' and commit"; git status --short ent migrations; exit 1; fi

bench: build ## run the benchmarks and the HTTP load test (figures go in docs/performance.md)
	$(GO) test -run '^$$' -bench . -benchmem ./...
	$(GO) run ./bench/load -bin ./bin/debrief
	$(GO) run ./bench/calsync -bin ./bin/debrief
	$(GO) run ./bench/abuse -bin ./bin/debrief
	$(GO) run ./bench/fresh -bin ./bin/debrief
	$(GO) run ./bench/search
	DEBRIEF_TEST_POSTGRES_DSN=$${DEBRIEF_TEST_POSTGRES_DSN:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable} $(GO) run ./bench/search -backend postgres

fuzz: ## run each fuzz target for FUZZTIME (default 60s)
	@$(GO) list -f '{{.ImportPath}} {{.Dir}}' ./... | while read pkg dir; do \
	  for f in $$(grep -hoE '^func (Fuzz[A-Za-z0-9_]+)' $$dir/*_test.go 2>/dev/null | awk '{print $$2}'); do \
	    echo "fuzz $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $${FUZZTIME:-60s} $$pkg || exit 1; \
	  done; done

clean: ## remove build output (not ./data)
	rm -rf bin
