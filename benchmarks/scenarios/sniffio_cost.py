"""Async per-call cost with and without sniffio installed, interleaved in one run.

httpcore 1.0 calls ``current_async_library()`` whenever it sets up one of its async
locks, events or cancellation shields, and that function starts with ``import sniffio``.
When sniffio is installed the import is a ``sys.modules`` hit; when it is not (anyio 4
no longer depends on it) each import fails after the import system has asked every
meta-path finder and looked for ``sniffio`` in every ``sys.path`` entry, and a failed
import is not cached, so it is paid again on every request.

Two worker processes (``sniffio_worker``) run the same code against the same reference
server: the checkout's interpreter, with the site-packages entry of ``sys.path`` replaced
by a directory of symlinks to its entries, one with sniffio and one without. Both
``sys.path`` lists have the same entries and the same directories to scan, so the only
difference is whether ``import sniffio`` finds something; where it does not, the failure
is a real one with the real scan (a meta-path finder that raises at once would hide the
very cost measured here). The symlinked sniffio is the one installed in this interpreter,
else the base interpreter's, else ``--sniffio-from DIR`` (e.g. made by
``pip install --target DIR sniffio``).

Each round gives every (client, with/without) pair one slice of N async ``GET /me`` calls,
one worker at a time, clients in turn and with/without in ABBA order, so drift hits both
alike. Per slice: the median latency and the calling thread's CPU per call. Reported: the
median over rounds and its spread, and the per-round paired difference (without - with)
with its quartiles, range, and a sign test over rounds.
"""

from __future__ import annotations

import contextlib
import glob
import json
import math
import selectors
import statistics
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reference_server import Control

from ..server import login, stop

REPO = Path(__file__).resolve().parents[2]
CLIENTS = {"ours": "SessionClient", "static": "AuthenticatedClient (static token)"}
VARIANTS = ("with", "without")
STATIC_TTL = 3600.0
REPLY_TIMEOUT = 60.0


@dataclass(frozen=True)
class SniffioRow:
    client: str
    rounds: int
    calls: int  # per slice
    with_us: tuple[float, float, float]  # median, min, max over rounds (per-slice medians)
    without_us: tuple[float, float, float]
    diff_us: tuple[float, float, float]  # per-round without - with: median, min, max
    diff_iqr: tuple[float, float]  # ... its quartiles
    diff_slower: int  # rounds in which without was slower
    with_cpu: tuple[float, float, float]  # client-thread CPU µs per call
    without_cpu: tuple[float, float, float]
    diff_cpu: tuple[float, float, float]
    cpu_iqr: tuple[float, float]
    cpu_slower: int  # rounds in which without used more CPU per call
    misses_with: float  # failed ``import sniffio`` per call
    misses_without: float


@dataclass(frozen=True)
class SniffioResult:
    rows: list[SniffioRow]
    import_with_us: float  # one ``import sniffio``: sys.modules hit
    import_without_us: float  # one failed ``import sniffio``: the scan
    sys_path: int
    other_misses: str  # other imports failing on every call ("" if none)
    source: str  # where the symlinked sniffio came from
    version: str


def find_sniffio(extra: str | None = None) -> Path | None:
    """The ``sniffio`` package directory: this interpreter's, the base interpreter's, or
    the one in ``extra``."""
    candidates = [Path(p) for p in sys.path if p]
    base = sysconfig.get_paths(vars={"base": sys.base_prefix, "platbase": sys.base_prefix})
    candidates += [Path(base["purelib"]), Path(base["platlib"])]
    if extra:
        candidates.insert(0, Path(extra))
    for folder in candidates:
        if (folder / "sniffio" / "__init__.py").is_file():
            return folder / "sniffio"
    return None


def site_packages() -> Path:
    """The site-packages directory httpcore is installed in (the one to mirror)."""
    import httpcore  # only its location is needed

    assert httpcore.__file__ is not None
    return Path(httpcore.__file__).resolve().parent.parent


def build_views(site: Path, sniffio: Path, into: Path) -> dict[str, Path]:
    """Two symlink mirrors of ``site``: ``with`` (plus sniffio and its dist-info) and
    ``without`` (no sniffio entry at all, even if ``site`` has one)."""
    views = {}
    extras = [sniffio, *map(Path, glob.glob(str(sniffio.parent / "sniffio-*.dist-info")))]
    for variant in VARIANTS:
        view = into / f"site-packages-{variant}"
        view.mkdir()
        for entry in site.iterdir():
            if not entry.name.lower().startswith("sniffio"):
                (view / entry.name).symlink_to(entry)
        if variant == "with":
            for entry in extras:
                (view / entry.name).symlink_to(entry)
        views[variant] = view
    return views


class Worker:
    def __init__(self, url: str, token: str, site: Path, view: Path) -> None:
        command = [sys.executable, "-m", "benchmarks.scenarios.sniffio_worker", url, token,
                   str(site), str(view)]  # fmt: skip
        self.proc = subprocess.Popen(
            command,
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        self.hello = self.reply()

    def reply(self) -> dict[str, Any]:
        stdout = self.proc.stdout
        assert stdout is not None
        with selectors.DefaultSelector() as selector:
            selector.register(stdout, selectors.EVENT_READ)
            if not selector.select(timeout=REPLY_TIMEOUT):
                raise RuntimeError(f"sniffio worker silent for {REPLY_TIMEOUT:.0f} s")
        line = stdout.readline()
        if not line:
            raise RuntimeError(f"sniffio worker exited ({self.proc.wait(5)})")
        data: dict[str, Any] = json.loads(line)
        return data

    def slice(self, client: str, calls: int) -> dict[str, float]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"{client} {calls}\n")
        self.proc.stdin.flush()
        return {k: float(v) for k, v in self.reply().items()}

    def close(self) -> None:
        if self.proc.poll() is None and self.proc.stdin is not None:
            with contextlib.suppress(OSError):
                self.proc.stdin.write("quit\n")
                self.proc.stdin.flush()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(10)
        stop(self.proc)


@contextlib.contextmanager
def workers(
    url: str, token: str, views: dict[str, Path], site: Path
) -> Iterator[dict[str, Worker]]:
    started: dict[str, Worker] = {}
    try:
        for variant in VARIANTS:
            started[variant] = Worker(url, token, site, views[variant])
        yield started
    finally:
        for worker in started.values():
            worker.close()


def _spread(values: list[float]) -> tuple[float, float, float]:
    return statistics.median(values), min(values), max(values)


def _iqr(values: list[float]) -> tuple[float, float]:
    if len(values) < 2:
        return values[0], values[0]
    q = statistics.quantiles(values, n=4)
    return q[0], q[2]


def sign_test(k: int, n: int) -> float:
    """One-sided p of ``k`` or more of ``n`` rounds going one way if each round were a
    coin toss (no difference)."""
    return sum(math.comb(n, i) for i in range(k, n + 1)) / (1 << n)


def _row(client: str, calls: int, slices: dict[str, list[dict[str, float]]],
         hello: dict[str, dict[str, Any]]) -> SniffioRow:  # fmt: skip
    w, wo = slices["with"], slices["without"]
    lat = [b["median_us"] - a["median_us"] for a, b in zip(w, wo, strict=True)]
    cpu = [b["cpu_us"] - a["cpu_us"] for a, b in zip(w, wo, strict=True)]
    return SniffioRow(
        client=CLIENTS[client],
        rounds=len(w),
        calls=calls,
        with_us=_spread([s["median_us"] for s in w]),
        without_us=_spread([s["median_us"] for s in wo]),
        diff_us=_spread(lat),
        diff_iqr=_iqr(lat),
        diff_slower=sum(d > 0 for d in lat),
        with_cpu=_spread([s["cpu_us"] for s in w]),
        without_cpu=_spread([s["cpu_us"] for s in wo]),
        diff_cpu=_spread(cpu),
        cpu_iqr=_iqr(cpu),
        cpu_slower=sum(d > 0 for d in cpu),
        misses_with=float(hello["with"]["misses"][client].get("sniffio", 0.0)),
        misses_without=float(hello["without"]["misses"][client].get("sniffio", 0.0)),
    )


def run(
    url: str,
    *,
    rounds: int,
    calls: int,
    sniffio_from: str | None = None,
    log: Callable[[str], None] = print,
) -> SniffioResult | str:
    """The rows, or why the scenario could not run."""
    sniffio = find_sniffio(sniffio_from)
    if sniffio is None:
        return (
            "no sniffio package found in this interpreter, the base interpreter or "
            "--sniffio-from DIR (make one with `pip install --target DIR sniffio`)"
        )
    site = site_packages()
    with Control(url) as control:
        control.reset()
        control.configure(access_ttl=STATIC_TTL)
    token = str(login(url)["access_token"])
    with tempfile.TemporaryDirectory(prefix="bench-sniffio-") as tmp:
        views = build_views(site, sniffio, Path(tmp))
        with workers(url, token, views, site) as pool:
            hello = {variant: pool[variant].hello for variant in VARIANTS}
            for variant in VARIANTS:
                found = hello[variant]["sniffio"]
                if (found is not None) != (variant == "with"):
                    raise RuntimeError(f"worker {variant} sniffio: {found}")
                if not str(hello[variant]["httpcore"]).startswith(str(views[variant])):
                    raise RuntimeError(f"worker {variant} httpcore: {hello[variant]['httpcore']}")
            log(f"  sniffio from {sniffio}; failed `import sniffio` "
                f"{hello['without']['import_us']:.1f} µs, hit {hello['with']['import_us']:.2f} µs; "
                f"misses per call {hello['without']['misses']}")  # fmt: skip
            slices: dict[str, dict[str, list[dict[str, float]]]] = {
                client: {variant: [] for variant in VARIANTS} for client in CLIENTS
            }
            for n in range(rounds):
                order = VARIANTS if n % 2 == 0 else VARIANTS[::-1]  # ABBA
                clients = list(CLIENTS)[n % 2 :] + list(CLIENTS)[: n % 2]
                for client in clients:
                    for variant in order:
                        slices[client][variant].append(pool[variant].slice(client, calls))
    rows = [_row(client, calls, slices[client], hello) for client in CLIENTS]
    for r in rows:
        log(f"  {r.client}: with {r.with_us[0]:.0f} µs, without {r.without_us[0]:.0f} µs, "
            f"without - with {r.diff_us[0]:+.0f} µs ({r.diff_us[1]:+.0f} to {r.diff_us[2]:+.0f}), "
            f"CPU {r.diff_cpu[0]:+.0f} µs")  # fmt: skip
    others = {
        name: k
        for variant in VARIANTS
        for misses in hello[variant]["misses"].values()
        for name, k in misses.items()
        if name != "sniffio"
    }
    return SniffioResult(
        rows=rows,
        import_with_us=float(hello["with"]["import_us"]),
        import_without_us=float(hello["without"]["import_us"]),
        sys_path=int(hello["without"]["sys_path"]),
        other_misses=", ".join(f"{name} ({k:g} per call)" for name, k in sorted(others.items())),
        source=str(sniffio),
        version=str(hello["with"]["version"]),
    )
