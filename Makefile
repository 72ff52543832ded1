# The two commands a new user runs are `make demo` and `make test`; both install what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

A11Y := tests/a11y/node_modules/.installed-stamp

.PHONY: install demo test lint bench fuzz mutate screenshot govuk-frontend clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Validate the bundled example: decision 2019/09, whose findings are the defects of the reference
# form (so jmb exits 1; the demo succeeds on that and fails on anything else), and 2019/10, approved
# and signed. Then render 2019/09 as a draft, verify 2019/10's signatures, and build the public
# website, which carries 2019/10 only.
demo: install
	@echo "$$ jmb validate"
	@$(BIN)/jmb validate --format text || test $$? -eq 1
	@echo
	@echo "$$ jmb rules JMB202"
	@$(BIN)/jmb rules JMB202
	@echo
	@echo "$$ jmb render 2019/09 --draft --format all   (HTML, PDF, Word and Markdown)"
	@$(BIN)/jmb render 2019/09 --draft --format all
	@echo
	@echo "$$ jmb verify 2019/10"
	@$(BIN)/jmb verify 2019/10
	@echo
	@echo "$$ jmb publish   (the public website: approved decisions only; 2019/09 is a draft)"
	@$(BIN)/jmb publish
	@echo
	@echo "Open the public register in a browser: file://$(CURDIR)/build/site/index.html"

# axe-core for the accessibility test, from the npm registry (locked); the browser is Debian's
# chromium, which .ci/run installs. Without npm the accessibility test skips outside CI.
$(A11Y): tests/a11y/package-lock.json
	@if command -v npm >/dev/null; then cd tests/a11y && npm ci --no-audit --no-fund --silent && touch node_modules/.installed-stamp; else echo "npm not found: the accessibility test will be skipped"; fi

test: install lint $(A11Y)
	$(BIN)/python -m pytest -q -n auto

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

bench: install
	$(BIN)/python bench/validate.py 10000
	$(BIN)/python bench/render.py 1000
	$(BIN)/python bench/pdfs.py 60
	$(BIN)/python bench/publish.py 10000 --memory
	$(BIN)/python bench/hostile_text.py

# Coverage-guided fuzzing of the record reader and every rule (atheris), for FUZZ_SECONDS. New inputs
# go to build/fuzz-corpus, and those that reach code the kept corpus does not are merged into
# tests/fuzz/corpus/, which every test run replays (tests/test_fuzz_corpus.py): commit them. An input
# that raises is written to tests/fuzz/crashes/: fix the bug, then move it into the corpus too.
# (libFuzzer runs the target again for the merge, by its name: hence the venv first on PATH.)
FUZZ_SECONDS ?= 600
fuzz: install
	$(BIN)/python -m pip install --quiet -e '.[dev,fuzz]'
	mkdir -p build/fuzz-corpus tests/fuzz/crashes
	PATH="$(CURDIR)/$(BIN):$$PATH" tests/fuzz/records.py -max_total_time=$(FUZZ_SECONDS) \
		-rss_limit_mb=4096 -artifact_prefix=tests/fuzz/crashes/ build/fuzz-corpus tests/fuzz/corpus
	PATH="$(CURDIR)/$(BIN):$$PATH" tests/fuzz/records.py -merge=1 tests/fuzz/corpus build/fuzz-corpus

# Mutation testing (mutmut 3, configured in pyproject.toml's [tool.mutmut]) of the rules, the digest,
# numbering, the working-day calendar and the Part 1 views, on MUTATE_JOBS cores; then the score, by
# module, and every surviving mutant (tools/mutation_score.py; tests/MUTANTS.md says why each is
# harmless). Every run starts afresh. mutmut copies the project into mutants/ following symbolic
# links, so tests/ is copied first with them kept (a rule case holds one); mutmut's copy then goes
# into the same folders and changes nothing. mutmut runs mypy by that name (the venv's, on PATH) to
# set aside the mutants it rejects; tools/mutate.py runs mutmut with a faster reading of mypy's
# errors (its docstring says why). Not part of `make test`: it takes about 8 minutes.
MUTATE_JOBS ?= 2
mutate: install
	$(BIN)/python -m pip install --quiet -e '.[dev,mutate]'
	rm -rf mutants
	mkdir mutants
	cp -a tests mutants/tests
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python tools/mutate.py run --max-children $(MUTATE_JOBS)
	$(BIN)/python tools/mutation_score.py

# The pictures in the README: the rendered Part 1, and the public register as jmb publish builds it,
# made with the headless Chromium the tests use.
CHROMIUM_SHOT = chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
	--disable-component-update --disable-sync --user-data-dir=build/chromium-profile --hide-scrollbars

screenshot: install
	$(BIN)/jmb render 2019/09 --draft --out build
	$(CHROMIUM_SHOT) --window-size=900,1200 --screenshot=docs/part1.png "file://$(CURDIR)/build/2019-09-part1.html"
	$(BIN)/jmb publish --formats html --no-search
	$(CHROMIUM_SHOT) --window-size=1100,800 --screenshot=docs/register.png "file://$(CURDIR)/build/site/index.html"

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
