# The two commands a new user runs are `make demo` and `make test`; both install what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install demo test lint bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Validate the bundled example, decision 2019/09. Its findings are the defects of the reference form,
# so jmb exits 1; the demo succeeds on that and fails on anything else (a crash, a usage error).
demo: install
	@echo "$$ jmb validate"
	@$(BIN)/jmb validate --format text || test $$? -eq 1
	@echo
	@echo "$$ jmb rules JMB202"
	@$(BIN)/jmb rules JMB202

test: install lint
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: install
	$(BIN)/python bench/validate.py 10000

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
