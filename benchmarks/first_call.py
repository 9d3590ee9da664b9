"""``import <sdk>`` and the first call of one namespace, each in a fresh interpreter.

For a generated SDK (benchmarks/corpus.py), one GET operation is picked whose required arguments
are path parameters (strings or integers) and whose 2xx answer is a JSON model, preferring the
largest model; its answer is an instance of the document's schema (drawn by the run-time
oracle's generator, tests/oracle/oracle.py), served by an ``httpx.MockTransport``. Each probe
interpreter (``python -I``, the package's folder first on ``sys.path``) times with
``time.perf_counter``:

* ``import``: ``import <package>``;
* ``first call``: from before that import until the operation's answer is parsed: the import,
  ``AuthenticatedClient(...)`` (which loads httpx), the namespace, the operation's module and its
  models, the request through the mock transport and the parse of the answer.

One warm-up interpreter writes the bytecode first (a user's second run on).
"""

from __future__ import annotations

import importlib
import json
import statistics
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings

#: The probe: everything after ``start`` is what a user's program pays.
PROBE = r"""
import importlib, json, sys, time
root, package, tag, name, arguments, body, status = sys.argv[1:]
sys.path.insert(0, root)
with open(body, "rb") as file:
    content = file.read()
start = time.perf_counter()
sdk = importlib.import_module(package)
imported = time.perf_counter()
import httpx

def answer(request):
    headers = {"content-type": "application/json"}
    return httpx.Response(int(status), content=content, headers=headers)

client = sdk.AuthenticatedClient(
    base_url="http://sdk.test", token="t", httpx_args={"transport": httpx.MockTransport(answer)}
)
result = getattr(getattr(sdk, tag), name)(client, **json.loads(arguments))
done = time.perf_counter()
assert result is not None
kind = type(result).__name__
print(json.dumps({"import": imported - start, "first_call": done - start, "type": kind}))
"""


@dataclass(frozen=True)
class Call:
    """One operation to call: ``sdk.<tag>.<name>(client, **arguments)``, answered ``status``."""

    tag: str
    name: str
    arguments: dict[str, Any]
    status: int
    bodies: tuple[Any, ...]

    @property
    def label(self) -> str:
        return f"{self.tag}.{self.name}"


def _oracle() -> Any:
    """tests/oracle/oracle.py (imported by name: mypy checks tests/ as top-level folders, where
    it is ``oracle.oracle``, so a static import would name one file twice)."""
    return importlib.import_module("tests.oracle.oracle")


def _size(schema: Any, spec: Mapping[str, Any]) -> int:
    """Properties of the object schema ``schema`` refers to (0: not a referenced object)."""
    if not isinstance(schema, dict) or not isinstance(schema.get("$ref"), str):
        return 0
    target = _oracle()._resolve(spec, schema["$ref"])
    properties = target.get("properties") if isinstance(target, dict) else None
    return len(properties) if isinstance(properties, dict) else 0


def _argument(schema: Any, spec: Mapping[str, Any]) -> Any:
    if isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
        schema = _oracle()._resolve(spec, schema["$ref"])
    kind = schema.get("type") if isinstance(schema, dict) else None
    if kind == "integer":
        return 1
    if kind == "string" and not schema.get("enum") and not schema.get("format"):
        return "octo"
    return None


def _examples(schema: Any, count: int) -> list[Any]:
    found: list[Any] = []

    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(_oracle().instances(schema))
    def collect(value: Any) -> None:
        found.append(value)

    collect()
    return sorted(found, key=lambda value: len(json.dumps(value)), reverse=True)


def pick(spec: Path, config: Path, output: Path, *, examples: int = 8) -> Call | None:
    """The operation to call for the SDK at ``output`` (generated from ``spec`` with ``config``),
    or None when no operation qualifies."""
    oracle = _oracle()
    subject = oracle.subject(spec, config, output)
    doc = subject.original
    candidates: list[tuple[int, int, Call, Any]] = []
    for order, op in enumerate(o for tag in subject.plan.tags for o in tag.operations):
        if op.method.upper() != "GET" or op.endpoint.bodies:
            continue
        operation, parameters = oracle._operation_node(doc, op)
        arguments: dict[str, Any] = {}
        usable = True
        names = {oracle._raw(p.name): str(p.python_name) for p in op.endpoint.path_parameters}
        for parameter in parameters:
            if parameter.get("in") != "path":
                usable = usable and not parameter.get("required")
                continue
            value = _argument(parameter.get("schema"), doc)
            if value is None or parameter["name"] not in names:
                usable = False
                break
            arguments[names[parameter["name"]]] = value
        successes = [s for s in op.successes if not s.empty]
        if not usable or len(successes) != 1:
            continue
        success = successes[0]
        found = oracle._response_schema(operation, doc, success.low, success.high)
        if found is None or "json" not in found[0] or _size(found[1], doc) == 0:
            continue
        call = Call(op.tag, op.name, arguments, oracle._success_status(success), ())
        candidates.append((-_size(found[1], doc), order, call, found[1]))
    for _, _, call, schema in sorted(candidates, key=lambda c: (c[0], c[1]))[:5]:
        try:
            bodies = _examples(oracle.json_schema(schema, doc), examples)
        except Exception:  # a schema the generator of instances cannot take: the next one
            continue
        if bodies:
            return Call(call.tag, call.name, call.arguments, call.status, tuple(bodies))
    return None


def _probe(root: Path, package: str, call: Call, body: Path) -> dict[str, Any]:
    result = subprocess.run(
        [
            sys.executable,
            "-I",
            "-c",
            PROBE,
            str(root),
            package,
            call.tag,
            call.name,
            json.dumps(call.arguments),
            str(body),
            str(call.status),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr.strip().splitlines()[-1] if result.stderr else "failed")
    parsed: dict[str, Any] = json.loads(result.stdout)
    return parsed


@dataclass(frozen=True)
class Timing:
    call: str
    import_ms: float
    first_call_ms: float
    result: str


def measure(root: Path, package: str, call: Call, runs: int) -> Timing:
    """Medians over ``runs`` fresh interpreters, after a warm-up run that writes bytecode (the
    first answer that parses is used: the oracle draws valid instances, but an SDK's parser may
    still refuse one, which the oracle then reports)."""
    body = root / f".{package}-answer.json"
    last_error = ""
    for answer in call.bodies:
        body.write_text(json.dumps(answer), encoding="utf-8")
        try:
            warm = _probe(root, package, call, body)
        except RuntimeError as exc:
            last_error = str(exc)
            continue
        samples = [_probe(root, package, call, body) for _ in range(runs)]
        return Timing(
            call.label,
            statistics.median(s["import"] for s in samples) * 1000,
            statistics.median(s["first_call"] for s in samples) * 1000,
            str(warm["type"]),
        )
    raise RuntimeError(f"{call.label}: no answer parsed ({last_error})")
