# reportgen — two commands on a fresh Debian/Ubuntu machine with Python >= 3.11:
#   make demo   builds the bundled example case into output/demo/
#   make test   runs the test suite
#   make serve  starts the web app on http://127.0.0.1:8000/
# Both create .venv and install reportgen into it when needed (and only then).

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test bench serve check-system clean fixtures

demo: $(STAMP)
	$(VENV)/bin/reportgen demo

# The suite runs on every core (pytest-xdist), a test file per worker so that module
# fixtures are built once; the files go out in collection order, longest first
# (SLOW_FIRST in tests/conftest.py), not xdist's most-tests-first. TEST_JOBS=0 runs it
# in one process. Bytecode is cached (__pycache__, git-ignored) even where the environment
# sets PYTHONDONTWRITEBYTECODE: else every worker rewrites and compiles every test module
# and every build subprocess recompiles reportgen (about 5 s CPU a worker a run).
TEST_JOBS ?= auto

test: $(STAMP)
	PYTHONDONTWRITEBYTECODE= $(PY) -m pytest -q -n $(TEST_JOBS) --dist loadfile --no-loadscope-reorder

# FUZZ_SECONDS=600 by default; FUZZ_SEED repeats a run (see tests/fuzz/run_fuzz.py)
fuzz: $(STAMP)
	$(PY) tests/fuzz/run_fuzz.py

bench: $(STAMP) $(VENV)/.bench-installed
	$(PY) bench/run.py
	$(PY) bench/run.py --without-hb-subset --skip-million
	$(PY) -m pytest -q -m perf
	$(PY) bench/web_load.py

serve: $(STAMP)
	$(VENV)/bin/reportgen serve

fixtures: $(STAMP)
	$(PY) fixtures/make_fixtures.py

check-system:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
	  { echo "reportgen kræver Python 3.11 eller nyere (fandt: $$($(PYTHON) --version 2>&1))."; exit 1; }
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || \
	  { echo "Python mangler venv/ensurepip. Installér med: sudo apt-get install python3-venv"; exit 1; }
	@$(PYTHON) -c 'import ctypes.util, sys; sys.exit(0 if ctypes.util.find_library("pango-1.0") else 1)' || \
	  { echo "WeasyPrint kræver Pango. Installér med: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b"; exit 1; }
	@$(PYTHON) -c 'import ctypes.util, sys; sys.exit(0 if ctypes.util.find_library("harfbuzz-subset") else 1)' || \
	  echo "Valgfrit: HarfBuzz' subsetter gør PDF-dannelsen en smule hurtigere: sudo apt-get install libharfbuzz-subset0"

$(STAMP): pyproject.toml | check-system
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

$(VENV)/.bench-installed: $(STAMP)
	$(PY) -m pip install --quiet -e '.[bench]'
	touch $@

clean:
	rm -rf $(VENV) output/* build dist *.egg-info tests/results
	touch output/.gitkeep
