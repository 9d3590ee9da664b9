"""Markdown tables for every scenario, and the machine description."""

from __future__ import annotations

import os
import platform
import sys
from collections.abc import Sequence

from .import_time import Row as ImportRow
from .scenarios.drf import DrfRow
from .scenarios.interleaved import InterleavedRow
from .scenarios.lanes import LanesRow
from .scenarios.multiprocess import MultiRow
from .scenarios.overhead import OverheadRow
from .scenarios.sniffio_cost import SniffioResult, sign_test
from .scenarios.soak import SoakRow
from .scenarios.storm import StormRow


def machine() -> str:
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return (
        f"nproc {os.cpu_count()}, {model}, Python {sys.version.split()[0]} "
        f"({platform.system()} {platform.release()}); a small cloud VM whose host other "
        "tenants may share, so wall-clock figures move between runs"
    )


def _table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def overhead(rows: Sequence[OverheadRow], rounds: int) -> str:
    header = ["mode", "client", "calls", "median µs", "p99 µs", "median / floor",
              f"per-round ratio: median (min-max, {rounds} rounds)", "client CPU µs/call",
              "CPU / floor"]  # fmt: skip
    body = [
        [r.mode, r.client, r.calls, f"{r.median_us:.0f}", f"{r.p99_us:.0f}", f"{r.ratio:.3f}",
         f"{r.ratio_paired:.3f} ({r.ratio_min:.3f}-{r.ratio_max:.3f})", f"{r.cpu_us:.0f}",
         f"{r.cpu_ratio:.3f}"]
        for r in rows
    ]  # fmt: skip
    return _table(header, body)


def storm(rows: Sequence[StormRow]) -> str:
    header = ["reuse detection", "mode", "N", "renewed tokens live", "client", "refresh calls",
              "extra logins", "reuse detected", "failed calls", "wall s",
              "first error"]  # fmt: skip
    body = [
        ["on" if r.reuse_detection else "off", r.mode, r.n, f"{r.renewed_ttl:.0f} s", r.client,
         r.refreshes, r.logins, r.reuse_detected, r.failures, f"{r.wall_s:.2f}",
         r.error.replace("|", "/") or "-"]
        for r in rows
    ]  # fmt: skip
    return _table(header, body)


def soak(rows: Sequence[SoakRow]) -> str:
    header = ["client", "threads", "seconds", "requests served", "401s answered",
              "refresh calls", "extra logins", "client failures", "first error"]  # fmt: skip
    body = [
        [r.client, r.workers, f"{r.seconds:.0f}", r.served, r.unauthorized, r.refreshes,
         r.logins, r.failures, r.error.replace("|", "/") or "-"]
        for r in rows
    ]  # fmt: skip
    return _table(header, body)


def multiprocess(rows: Sequence[MultiRow], missing: str | None) -> str:
    header = ["store", "processes", "seconds", "requests served", "401s answered",
              "refresh calls", "reuse detected", "client failures", "first error"]  # fmt: skip
    body: list[list[object]] = [
        [r.store, r.processes, f"{r.seconds:.0f}", r.served, r.unauthorized, r.refreshes,
         r.reuse_detected, r.failures, r.error.replace("|", "/") or "-"]
        for r in rows
    ]  # fmt: skip
    if missing is not None:
        body.append(["redis", "-", "-", "-", "-", "-", "-", "-", f"not run: {missing}"])
    return _table(header, body)


def build(rows: Sequence[ImportRow], dependencies_ms: float, runs: int) -> str:
    header = ["spec", "operations", "modules", "generate s", "import ms",
              "+ first call ready ms", "all modules ms"]  # fmt: skip
    body = [
        [r.label, r.operations, r.modules,
         f"{r.generate_s:.1f}" if r.generate_s is not None else "-",
         f"{r.import_ms:.2f}", f"{r.ready_ms:.1f}", f"{r.all_ms:.1f}"]
        for r in rows
    ]  # fmt: skip
    return (
        _table(header, body)
        + f"\n\nMedian of {runs} fresh interpreters; httpx + attrs + dateutil alone: "
        f"{dependencies_ms:.1f} ms."
    )


def drf(rows: Sequence[DrfRow]) -> str:
    header = ["scenario", "setup", "calls", "ok", "plain 401s to the app",
              "TokenRejected (outlived)", "SessionExpired", "other errors", "refreshes",
              "refreshes allowed (wall / lifetime granted + 1)",
              "refreshes needed (old token expired before the end)", "refreshes not newer",
              "failed refreshes", "401s served", "API calls sent after the end", "wall s",
              "first error"]  # fmt: skip
    body = [
        [r.scenario, r.setup, r.calls, r.ok, r.plain_401, r.outlived, r.expired, r.other,
         r.refreshes, r.bound, r.needed, r.not_newer, r.failed_refreshes, r.served_401,
         r.sent_after_end if r.scenario.startswith("blacklisted") else "-", f"{r.wall_s:.1f}",
         r.error.replace("|", "/") or "-"]
        for r in rows
    ]  # fmt: skip
    return _table(header, body)


def interleaved(rows: Sequence[InterleavedRow]) -> str:
    header = ["mode", "token lifetime", "token endpoint", "reuse detection", "rounds",
              "throughput ours / static", "per-round spread", "p50 static → ours ms",
              "p99 static → ours ms", "p99 ratio (per-round spread)",
              "refreshes (token lifetimes)", "401s", "failures ours / static"]  # fmt: skip
    body = [
        [r.mode, f"{r.ttl:g} s", f"{r.token_latency * 1e3:.0f} ms",
         "on" if r.reuse_detection else "off", r.rounds, f"{r.throughput:.2f}",
         r.throughput_spread, f"{r.p50_static_ms:.1f} → {r.p50_ours_ms:.1f}",
         f"{r.p99_static_ms:.1f} → {r.p99_ours_ms:.1f}", f"{r.p99_ratio:.2f} ({r.p99_spread})",
         f"{r.refreshes} ({r.lifetimes:.1f})", r.unauthorized,
         f"{r.failures} / {r.static_failures}" + (f" ({r.errors})" if r.errors else "")]
        for r in rows
    ]  # fmt: skip
    return _table(header, body)


def lanes(rows: Sequence[LanesRow]) -> str:
    header = ["asyncio tasks", "rounds", "throughput lanes / plain", "per-round spread",
              "p50 plain → lanes ms", "p99 plain → lanes ms", "slowest call plain → lanes ms",
              "lost connection races plain → lanes"]  # fmt: skip
    body = [
        [r.tasks, r.rounds, f"{r.throughput:.2f}", r.spread,
         f"{r.plain_ms[0]:.1f} → {r.lanes_ms[0]:.1f}", f"{r.plain_ms[1]:.1f} → {r.lanes_ms[1]:.1f}",
         f"{r.plain_ms[2]:.0f} → {r.lanes_ms[2]:.0f}", f"{r.plain_lost} → {r.lanes_lost}"]
        for r in rows
    ]  # fmt: skip
    return _table(header, body)


def _mm(values: tuple[float, float, float]) -> str:
    median, low, high = values
    return f"{median:.0f} ({low:.0f} to {high:.0f})"


def _paired(values: tuple[float, float, float], quartiles: tuple[float, float]) -> str:
    median, low, high = values
    return f"{median:+.0f} ({quartiles[0]:+.0f} to {quartiles[1]:+.0f}; {low:+.0f} to {high:+.0f})"


def sniffio(result: SniffioResult | str, command: str) -> str:
    if isinstance(result, str):
        return f"Not run: {result}."
    rows = result.rows
    n = rows[0].rounds if rows else 0
    header = ["client", "failed `import sniffio` per call (with → without)",
              "with sniffio: µs per call", "without: µs per call",
              "without - with: µs per call, paired (quartiles; range)",
              "rounds slower without (sign test p)", "client CPU µs/call with → without",
              "CPU without - with, paired (quartiles; range)",
              "rounds with more CPU without (p)"]  # fmt: skip
    body = [
        [r.client, f"{r.misses_with:g} → {r.misses_without:g}", _mm(r.with_us),
         _mm(r.without_us), _paired(r.diff_us, r.diff_iqr),
         f"{r.diff_slower} of {r.rounds} ({sign_test(r.diff_slower, r.rounds):.2g})",
         f"{r.with_cpu[0]:.0f} → {r.without_cpu[0]:.0f}", _paired(r.diff_cpu, r.cpu_iqr),
         f"{r.cpu_slower} of {r.rounds} ({sign_test(r.cpu_slower, r.rounds):.2g})"]
        for r in rows
    ]  # fmt: skip
    saved = "; ".join(
        f"{r.client} {r.diff_us[0]:.0f} µs of {r.without_us[0]:.0f} "
        f"({r.diff_us[0] / r.without_us[0]:.0%}), CPU {r.diff_cpu[0]:.0f} µs"
        for r in rows
    )
    clear = all(
        r.diff_us[0] > 5
        and r.diff_cpu[0] > 5
        and sign_test(r.diff_slower, r.rounds) < 0.05
        and sign_test(r.cpu_slower, r.rounds) < 0.05
        for r in rows
    )
    verdict = (
        "outside noise for both clients (median difference above 5 µs, and slower and "
        "more CPU without in more rounds than a coin toss gives, sign test p < 0.05): "
        "sniffio is worth declaring as a runtime dependency"
        if clear
        else "not clearly outside noise in this run: re-run (more rounds with "
        "`--sniffio-rounds`) before deciding"
    )
    return (
        "Async `GET /me` against the reference server on 127.0.0.1, the generated call on "
        "our `SessionClient` and on the static-token `AuthenticatedClient`, each with "
        f"sniffio {result.version} installed and without it, in one run. httpcore 1.0 runs "
        "`import sniffio` (in `current_async_library()`) each time it sets up an async lock, "
        "event or cancellation shield; in httpcore 1.0.9 that is four times per request "
        "(the pool request's `AsyncEvent`, and an `AsyncShieldCancellation` twice in "
        "`AsyncConnectionPool._close_connections` and once in `PoolByteStream.aclose`). "
        "Without sniffio the import fails, and a failed import is not cached, so every "
        "request pays for the finders' scan again.\n\n"
        "- Absence is real: two worker processes of the checkout's interpreter replace the "
        "site-packages entry of `sys.path` by a directory of symlinks to the same installed "
        "packages, with sniffio (and its dist-info) in one and no sniffio at all in the "
        f"other. Both scan the same `sys.path` ({result.sys_path} entries) and the same "
        "meta-path finders; only the outcome differs. A meta-path finder that raises "
        "`ModuleNotFoundError` at once would have hidden the very cost measured, and "
        "separate venvs would differ in more than sniffio. It works whether or not the "
        "venv itself has sniffio (the view without it drops it).\n"
        f"- Interleaved: {n} rounds; in each, every client and with/without gets one slice "
        f"of {rows[0].calls if rows else 0} calls, one worker at a time, clients in turn and "
        "with/without in ABBA order.\n"
        "- Figures: median over rounds of the slices' median latency (min to max over "
        "rounds); the differences are paired per round (without - with), with their "
        "quartiles and range over rounds, and a sign test: how likely that many rounds "
        "would go the same way if sniffio made no difference. Client CPU is "
        "`time.thread_time()` per call in the calling thread. The failed imports are "
        "counted per call by a meta-path finder placed first while 20 calls run (every "
        "import that misses `sys.modules` passes through it).\n\n"
        + _table(header, body)
        + f"\n\nOne `import sniffio` in a tight loop in the workers: "
        f"{result.import_without_us:.0f} µs when it fails, {result.import_with_us:.2f} µs "
        "when sniffio is installed. Other imports failing on every call: "
        f"{result.other_misses or 'none'}. Installing sniffio saves, per async call "
        f"(median): {saved}. The CPU difference is the steadier figure (the scan is work in "
        "the calling thread); the latency difference also carries whatever else the shared "
        f"machine was doing. Verdict for this run: {verdict}. Sniffio was symlinked from "
        f"`{result.source}`. Run alone: `{command}`."
    )
