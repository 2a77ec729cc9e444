# `make run` sets up a virtual environment (first time only) and starts the app;
# `make test` sets it up and runs the whole test suite. Both need only Python 3.11 on the machine.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: long-reliability run test long-agreement screenshots bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

run: $(VENV)/.installed
	$(PY) main.py

# Two processes: the GUI tests run without Keras in their process, as the window does (tests/conftest.py).
test: $(VENV)/.installed
	$(PY) -m pytest -q tests --ignore=tests/gui
	$(PY) -m pytest -q tests/gui

# The longer comparison with real Keras (see README): every mined Keras layer-test case judged by Keras now
# (the default suite judges up to six per layer), then 20,000 generated graphs.
long-agreement: $(VENV)/.installed
	$(PY) -m pytest -q -m slow tests/builder/test_keras_layer_tests.py
	KC_AGREEMENT_EXAMPLES=20000 $(PY) -m pytest -q -s -m slow tests/builder/test_keras_agreement.py

# The performance benchmark: a table of figures against their budgets, also written to benchmarks/results.json.
bench: $(VENV)/.installed
	$(PY) -m benchmarks.run

# Issue 5's long runs: 10,000 damaged project files, 300 undo sequences of 40 steps (see README, Reliability).
long-reliability: $(VENV)/.installed
	$(PY) -m pytest -q -s -m slow tests/builder/test_fuzz_loading.py tests/builder/test_commands.py

clean:
	rm -rf $(VENV)
