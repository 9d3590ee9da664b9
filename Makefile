# Every target sets up its own virtualenv, so a fresh clone needs only python3, pip and make.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test lint typecheck drift pytest regenerate bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(PY) examples/demo.py

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

typecheck: $(STAMP)
	$(PY) -m mypy --strict reference_server sdk_session generator examples tests benchmarks
	$(PY) -m mypy --strict generated_sdk

drift: $(STAMP)
	$(PY) -m generator --check

pytest: $(STAMP)
	$(PY) -m pytest

test: lint typecheck drift pytest

regenerate: $(STAMP)
	$(PY) -m generator

bench: $(STAMP)
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache build *.egg-info

# Failover trials and a soak of the Redis token store on a real Sentinel group and Cluster
# (about 40 minutes; see docs/redis.md).
.PHONY: bench-redis
bench-redis: $(STAMP)
	$(PY) -m benchmarks.redis_fleet
