# Every target sets up its own virtualenv, so a fresh clone needs only python3, pip and make.
# What it installs is locked: tools/requirements.txt (uv and build, with hashes) and uv.lock
# (everything else, with hashes); `make lock` is the one command that refreshes both.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
# uv and build, outside the project's environment (which uv syncs exactly to the lock).
TOOLS := .venv-tools
UV := $(TOOLS)/bin/uv
# uv uses $(PYTHON), never a Python it downloads itself.
export UV_PYTHON_DOWNLOADS := never
# The reference server and the generator are distributions of their own, built from here.
SERVER_DIST := packages/items-reference-server
GENERATOR_DIST := packages/items-sdk-generator

# The second upstream (Django REST framework + SimpleJWT): its own spec, config and SDK.
DRF_SDK := --spec examples/drf/spec/openapi.yaml --config examples/drf/drf_sdk.generator.yaml --output examples/drf/drf_sdk
# The third (django-oauth-toolkit, a standard OAuth2 provider): config written by `init`, untouched.
OAUTH2_SDK := --spec examples/oauth2/spec/openapi.yaml --config examples/oauth2/oauth2_sdk.generator.yaml --output examples/oauth2/oauth2_sdk

.PHONY: demo demo-drf demo-oauth2 test lint typecheck drift pytest lock-check lock regenerate bench dist clean \
	test-latest test-lowest test-corpus test-corpus-ci

$(UV): tools/requirements.txt
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --require-hashes --no-deps -r tools/requirements.txt
	touch $(UV)

$(STAMP): uv.lock pyproject.toml $(SERVER_DIST)/pyproject.toml $(GENERATOR_DIST)/pyproject.toml $(UV)
	UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --quiet --locked --extra dev --python $(PYTHON)
	touch $(STAMP)

demo: $(STAMP)
	$(PY) examples/demo.py

demo-drf: $(STAMP)
	$(PY) examples/drf/drf_demo.py

demo-oauth2: $(STAMP)
	$(PY) examples/oauth2/oauth2_demo.py

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

typecheck: $(STAMP)
	$(PY) -m mypy --strict reference_server sdk_session generator examples tests benchmarks _items_api_server.py
	$(PY) -m mypy --strict generated_sdk

drift: $(STAMP)
	$(PY) -m generator --check
	$(PY) -m generator --check $(DRF_SDK)
	$(PY) -m generator --check $(OAUTH2_SDK)

pytest: $(STAMP)
	$(PY) -m pytest

# The lock still matches pyproject.toml (uv's own check; no network).
lock-check: $(UV)
	$(UV) lock --check --offline --quiet

test: lock-check lint typecheck drift pytest

# Refresh the locks: newest versions within pyproject.toml's ranges (a deliberate change: commit
# the result after `make test` passes on it). uv itself stays at the version pinned in
# tools/requirements.in and [tool.uv] required-version.
lock: $(UV)
	$(UV) lock --upgrade
	$(UV) pip compile --quiet --upgrade --universal --generate-hashes --no-header \
		--python-version 3.11 tools/requirements.in -o tools/requirements.txt

# The ranges our users get, tested apart from the lock (not part of `make test`): the newest
# versions every range allows, then the lowest ones (uv's lowest-direct over tools/ranges.in,
# test tools as locked). Each runs the suite in a virtualenv of its own: lint, drift and pytest,
# and on the newest versions mypy --strict too (new annotations upstream break it, as redis 8.2's
# did). Not on the lowest: old releases annotate less (redis 5.0's from_url is untyped), which
# says nothing about how our code behaves on them, and a user's mypy never checks our internals.
LATEST := .venv-latest
LOWEST := .venv-lowest
test-latest: $(UV)
	rm -rf $(LATEST)
	$(UV) venv --quiet --python $(PYTHON) $(LATEST)
	VIRTUAL_ENV=$(LATEST) $(UV) pip install --quiet --resolution highest -e '.[dev]'
	$(LATEST)/bin/python -m pip list --format=freeze 2>/dev/null | grep -iE '^(httpx|attrs|python-dateutil|anyio|filelock|redis|starlette|uvicorn|pyjwt|openapi-spec-validator|pyyaml|mypy)==' || true
	touch $(LATEST)/.installed-stamp
	$(MAKE) --no-print-directory --keep-going VENV=$(LATEST) lint typecheck drift pytest

test-lowest: $(UV)
	rm -rf $(LOWEST)
	$(UV) venv --quiet --python $(PYTHON) $(LOWEST)
	$(UV) pip compile --quiet --resolution lowest-direct --python $(PYTHON) --no-header \
		tools/ranges.in -o $(LOWEST)/resolved.txt
	grep -v '^-e' $(LOWEST)/resolved.txt > $(LOWEST)/lowest.txt
	$(UV) export --quiet --locked --extra dev --no-hashes --no-emit-local --no-header \
		-o $(LOWEST)/locked.txt
	VIRTUAL_ENV=$(LOWEST) $(UV) pip install --quiet -r $(LOWEST)/locked.txt --override $(LOWEST)/lowest.txt
	VIRTUAL_ENV=$(LOWEST) $(UV) pip install --quiet --no-deps -e . -e $(SERVER_DIST) -e $(GENERATOR_DIST)
	touch $(LOWEST)/.installed-stamp
	$(MAKE) --no-print-directory --keep-going VENV=$(LOWEST) lint drift pytest

regenerate: $(STAMP)
	$(PY) -m generator
	$(PY) -m generator $(DRF_SDK)
	$(PY) -m generator $(OAUTH2_SDK)

bench: $(STAMP)
	$(PY) -m benchmarks

# Every real document of tests/generator/corpus (not part of `make test`, which runs the
# manifest's representative subset): generated one at a time (GitHub's 13 MB description alone
# needs the machine), imported, mypy --strict, 0 operations lost, expected refusals located, and
# the run-time oracle over every model and every operation of every SDK (python -m
# tests.oracle); the table goes to docs/corpus.md. See README for how long it takes.
CORPUS := SDK_CORPUS=full $(PY) -m benchmarks.corpus --rounds 1 --imports 3 --oracle --check
test-corpus: $(STAMP)
	$(CORPUS)

# What .ci/run runs after `make test` (CI allows 30 minutes): every document generated whole
# (or refused as expected) and imported, without mypy --strict (make test runs it on the
# representative subset), and the oracle on every SDK but these, the slowest to check (their
# oracle alone took 28 of the 37 minutes a first, larger slice took here). The table is
# printed, docs/corpus.md is left alone.
CORPUS_CI_ORACLE_SKIP := github-api.json openai.yaml xero-accounting.yaml box.json \
	sendgrid-v3-1.json prefect.json synthetic-500.yaml xero-payroll-uk.yaml \
	adyen-management-v3.json adyen-balance-platform-v2.json adyen-checkout-v71.json
test-corpus-ci: $(STAMP)
	$(CORPUS) --no-mypy --imports 1 --oracle-skip $(CORPUS_CI_ORACLE_SKIP) --output -

# The wheels of the SDK, the reference server and the generator, in dist/ (see README,
# Install), each built by `python -m build` in an isolated build environment: the project's
# development environment is not needed.
dist: $(UV)
	rm -rf dist
	for project in . $(SERVER_DIST) $(GENERATOR_DIST); do \
		$(TOOLS)/bin/python -m build --wheel --outdir dist $$project >/dev/null || exit 1; \
	done
	ls dist

clean:
	rm -rf $(VENV) $(TOOLS) $(LATEST) $(LOWEST) .mypy_cache .pytest_cache .ruff_cache build *.egg-info dist $(SERVER_DIST)/build $(SERVER_DIST)/*.egg-info $(GENERATOR_DIST)/build $(GENERATOR_DIST)/*.egg-info

# Failover trials and a soak of the Redis token store on a real Sentinel group and Cluster
# (about 40 minutes; see docs/redis.md).
.PHONY: bench-redis
bench-redis: $(STAMP)
	$(PY) -m benchmarks.redis_fleet
