# The two commands that work on a fresh machine with Python 3.11 and make:
#   make run    set up .venv, ingest the bundled example, print what was found
#   make test   set up .venv and run every test
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
NL     := $(VENV)/bin/newsledger
DB     ?= newsledger.duckdb
STAMP  := $(VENV)/.installed

.PHONY: run test bench clean setup

setup: $(STAMP)

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) on PATH (or run: make PYTHON=python3 ...)"; exit 2; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,bench,scale]'
	touch $(STAMP)

run: $(STAMP)
	$(NL) ingest examples/ --db $(DB)
	$(NL) quotes --db $(DB)
	$(NL) entities --db $(DB)
	$(NL) events --db $(DB) --include-hypothetical
	$(NL) places --db $(DB)

test: $(STAMP)
	$(PY) -m pytest -q

bench: $(STAMP)
	$(PY) -m bench.run_all

clean:
	rm -rf $(VENV) $(DB) $(DB).wal
