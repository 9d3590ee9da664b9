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
