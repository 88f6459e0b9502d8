# Two commands for a newcomer: `make run` and `make test`. Both set themselves up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test lint mutation clean

# Serves at once; the routines are built in the background and become playable one by one.
run: $(STAMP)
	$(BIN)/matcoach validate routines
	$(BIN)/matcoach serve --host $(HOST) --port $(PORT) --no-verify

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .

# Mutation testing of the pure scheduler (issue 9; minutes, so not part of `make test`), in
# a venv of its own: mutmut reads pytest internals that pytest 9 no longer has.
MUTATION := .venv-mutation
mutation: $(MUTATION)/.installed
	rm -rf mutants
	cd . && $(MUTATION)/bin/mutmut run --max-children 2 >/dev/null || true
	$(MUTATION)/bin/python bench/mutation_report.py

$(MUTATION)/.installed: pyproject.toml
	$(PYTHON) -m venv $(MUTATION)
	$(MUTATION)/bin/python -m pip install --quiet -e '.[dev]' 'pytest<9' 'mutmut==3.7.0'
	touch $@

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Mat Coach needs Python 3.11 or newer; set PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) $(MUTATION) mutants build instance .pytest_cache .ruff_cache *.egg-info
