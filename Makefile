# Every target sets up its own virtualenv, so a fresh clone needs only python3, pip and make.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
# The reference server is its own distribution (the SDK's `server` extra), built from here.
SERVER_DIST := packages/items-reference-server

# The second upstream (Django REST framework + SimpleJWT): its own spec, config and SDK.
DRF_SDK := --spec examples/drf/spec/openapi.yaml --config examples/drf/drf_sdk.generator.yaml --output examples/drf/drf_sdk

.PHONY: demo demo-drf test lint typecheck drift pytest regenerate bench dist clean

$(STAMP): pyproject.toml $(SERVER_DIST)/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]' -e $(SERVER_DIST)
	touch $(STAMP)

demo: $(STAMP)
	$(PY) examples/demo.py

demo-drf: $(STAMP)
	$(PY) examples/drf/drf_demo.py

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

typecheck: $(STAMP)
	$(PY) -m mypy --strict reference_server sdk_session generator examples tests benchmarks _items_api_server.py
	$(PY) -m mypy --strict generated_sdk

drift: $(STAMP)
	$(PY) -m generator --check
	$(PY) -m generator --check $(DRF_SDK)

pytest: $(STAMP)
	$(PY) -m pytest

test: lint typecheck drift pytest

regenerate: $(STAMP)
	$(PY) -m generator
	$(PY) -m generator $(DRF_SDK)

bench: $(STAMP)
	$(PY) -m benchmarks

# The SDK's wheel and the reference server's wheel, in dist/ (see README, Install).
dist: $(STAMP)
	$(PY) -m pip wheel --quiet --no-deps --wheel-dir dist . $(SERVER_DIST)

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache build *.egg-info dist $(SERVER_DIST)/build $(SERVER_DIST)/*.egg-info

# Failover trials and a soak of the Redis token store on a real Sentinel group and Cluster
# (about 40 minutes; see docs/redis.md).
.PHONY: bench-redis
bench-redis: $(STAMP)
	$(PY) -m benchmarks.redis_fleet
