# Two commands on a fresh machine: `make run`, then `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[fast,test]'
	touch $(STAMP)

run: $(STAMP)
	@# Bytecode ahead of time, as pip does for a regular install: with
	@# PYTHONDONTWRITEBYTECODE set, every cold `depeches` would compile our sources.
	$(BIN)/python -m compileall -q indexer search_cli
	$(BIN)/depeches index corpus/ --index index/
	$(BIN)/depeches search "cessez-le-feu" --index index/ --per-article 2 --color always

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench,vectors]'
	# Only for Anserini's jar (Lucene's French analysis, bench/lucene.py): its own
	# dependencies (torch, faiss, ...) are never imported, so they are not installed.
	$(BIN)/python -m pip install --quiet --no-deps pyserini==0.25.0
	$(BIN)/python -m compileall -q indexer search_cli
	$(BIN)/python bench/entities.py
	$(BIN)/python bench/relevance.py
	$(BIN)/python bench/speed.py
	$(BIN)/python bench/hostile.py

clean:
	rm -rf index/MAIN* index/_MAIN* index/*.seg index/depeches.json index/writer.lock $(VENV)
