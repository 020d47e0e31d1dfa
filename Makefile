# Two entry points on a fresh machine (Python 3.11, Java 17): `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup browser postgres demo test bench clean

$(BIN)/stream: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

setup: $(BIN)/stream

# The dashboard test drives Debian's headless Chromium; CI runs as root on Debian.
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# The sink's tests start a throwaway PostgreSQL server of their own from Debian's package (tests/postgres.py).
postgres:
	@test -x /usr/lib/postgresql/15/bin/initdb || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15; }

demo: setup
	$(BIN)/stream demo

test: setup browser postgres
	$(BIN)/pytest

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
