# Concierge: the two commands that matter are `make run` and `make test`.
BIN := bin/concierge
HTMX := static/htmx.min.js

.PHONY: run test build generate assets bench check-generated clean

# Where `make run` listens: `make run PORT=9090`, or a whole address with
# `make run ADDR=127.0.0.1:9090`.
PORT ?= 8080
ADDR ?= :$(PORT)

# The demo: two venues with history and logins whose password is in the README.
run: build
	./$(BIN) serve --demo --addr $(ADDR)

build: assets generate
	go build -o $(BIN) .

test: assets generate
	go vet ./...
	go test -count=1 ./...

# Benchmarks on generated fixtures (10k clients, 125k bookings); see README.
bench: assets generate
	go test -run '^$$' -bench 'ClientSearch|ChatTurn|ConciergePage|AudiencePreview|RankGap$$|Gaps|ReconnectOverdue' -benchtime 200x ./handlers/
	go test -run '^$$' -bench 'RankGapLargeVenue' -benchtime 100x -timeout 20m ./handlers/
	go test -run '^$$' -bench 'EnqueueAndSend' -benchtime 3x ./handlers/
	go test -run '^$$' -bench . -benchtime 3x .

generate:
	go tool templ generate -log-level error

# CI: regenerating the templ output must not change committed files.
check-generated: generate
	@git diff --exit-code -- '*_templ.go' || (echo "templ generate changed *_templ.go: commit the regenerated files" && exit 1)

assets: $(HTMX)

# npm ci only runs when the lock file changes; htmx is pinned to 2.0.11 in package.json.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

$(HTMX): node_modules/.installed
	cp node_modules/htmx.org/dist/htmx.min.js $(HTMX)

clean:
	rm -rf bin node_modules $(HTMX)
