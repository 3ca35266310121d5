# innochain: the two commands are `make serve` and `make test`; both do all set-up.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: serve test setup db browser lint fmt docs clean

NODE_STAMP := node_modules/.installed-stamp

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --constraint constraints.txt --editable '.[dev,semantic]'
	touch $(STAMP)

# front-end packages (ECharts for the statistics charts), pinned by package-lock.json;
# without npm the pages keep their server-drawn SVG charts
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --no-audit --no-fund --ignore-scripts --loglevel=error && touch $(NODE_STAMP); \
	else echo "npm not found: statistics charts stay static SVG (install Node.js for ECharts)"; fi

## setup: create .venv and install the pinned dependencies (Python and npm)
setup: $(STAMP) $(NODE_STAMP)

## db: migrate the database and load the bundled dataset if it is empty
db: setup
	$(BIN)/innochain db upgrade
	$(BIN)/innochain load --if-empty

## serve: set up, then serve pages and API on http://$(HOST):$(PORT)/
serve: db
	$(BIN)/innochain serve --host $(HOST) --port $(PORT)

## browser: Debian's Chromium, ChromeDriver and a CJK font for the browser tests
BROWSER_PACKAGES := chromium chromium-driver fonts-wqy-microhei
browser:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] && fc-list :lang=zh | grep -q .; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BROWSER_PACKAGES) >/dev/null; \
	else \
		sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BROWSER_PACKAGES) >/dev/null; \
	fi

## test: set up, check the bundled data, run the whole suite on SQLite and PostgreSQL
test: db browser
	$(BIN)/innochain data check
	$(BIN)/pytest -n auto

## lint: ruff (check and format) and mypy
lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

## fmt: format and autofix
fmt: setup
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

## docs: regenerate the CLI reference from --help
docs: setup
	$(BIN)/python -m innochain.cli.reference > docs/cli.md

clean:
	rm -rf $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache
