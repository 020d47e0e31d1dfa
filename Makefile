# Two entry points on a fresh machine (Python 3.11, Java 17): `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup demo test bench clean

$(BIN)/stream: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

setup: $(BIN)/stream

demo: setup
	$(BIN)/stream demo

test: setup
	$(BIN)/pytest

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
