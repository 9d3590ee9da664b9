"""Side-by-side benchmarks of the SDK's session layer against the floor and peer clients.

    .venv/bin/python -m benchmarks            # full run, also rewrites docs/benchmarks.md
    .venv/bin/python -m benchmarks --quick    # small N, under ~2 minutes, results/ only

Starts the reference server in a subprocess (``python -m reference_server --port 0``) and
measures per-call overhead, refresh storms, a soak with 1 s tokens, an interleaved soak
against the static-token client, several processes sharing a token store, the async
per-call cost with and without sniffio installed (``scenarios.sniffio_cost``; alone:
``--only sniffio``), a real Django REST framework + SimpleJWT upstream (gunicorn, started
by ``scenarios.drf``), and import/generation time. Writes ``benchmarks/results/latest.md``
(and, for a full run, ``docs/benchmarks.md`` with charts in ``docs/img/``).
Only 127.0.0.1 is contacted; every child process is stopped on the way out.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from dataclasses import dataclass, replace
from pathlib import Path

from . import charts, report
from .clients import all_peers
from .scenarios import (
    build,
    drf,
    interleaved,
    lanes,
    multiprocess,
    overhead,
    sniffio_cost,
    soak,
    storm,
)
from .server import server_process

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "benchmarks" / "results"
DOCS = REPO / "docs"
SCENARIOS = (
    "overhead", "storm", "soak", "interleaved", "lanes", "multiprocess", "sniffio", "drf", "build",
)  # fmt: skip


@dataclass(frozen=True)
class Sizes:
    calls: int
    rounds: int
    tasks: int
    threads: int
    soak_workers: int
    soak_seconds: float
    processes: int
    mp_seconds: float
    import_runs: int
    operations: int
    storm_reuse_modes: tuple[bool, ...] = (True, False)
    drf_tasks: int = 500
    slice_rounds: int = 7
    slice_seconds: float = 2.0
    sniffio_rounds: int = 40
    sniffio_calls: int = 50


FULL = Sizes(2000, 20, 1000, 200, 8, 20.0, 8, 10.0, 5, 500, slice_rounds=9)
QUICK = Sizes(
    300, 5, 100, 20, 8, 2.0, 8, 2.0, 2, 50,
    storm_reuse_modes=(True,), drf_tasks=100, slice_rounds=1, slice_seconds=0.5,
    sniffio_rounds=10, sniffio_calls=30,
)  # fmt: skip


def log(text: str) -> None:
    print(text, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small N (under ~2 minutes)")
    parser.add_argument("--only", nargs="+", choices=SCENARIOS, help="run only these")
    parser.add_argument(
        "--docs",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="rewrite docs/benchmarks.md and docs/img/*.png (default: on for full runs)",
    )
    parser.add_argument(
        "--slice-rounds",
        type=int,
        metavar="N",
        help="rounds of the interleaved soak and the lanes scenario (more: a tighter median)",
    )
    parser.add_argument(
        "--sniffio-from",
        metavar="DIR",
        help="a folder holding a sniffio package, for the sniffio scenario when neither this "
        "interpreter nor the base interpreter has one (`pip install --target DIR sniffio`)",
    )
    parser.add_argument(
        "--sniffio-rounds",
        type=int,
        metavar="N",
        help="rounds of the sniffio scenario (more: a tighter median)",
    )
    args = parser.parse_args(argv)
    if args.sniffio_rounds is not None and args.sniffio_rounds < 1:
        parser.error("--sniffio-rounds must be at least 1")
    if args.slice_rounds is not None and args.slice_rounds < 1:
        parser.error("--slice-rounds must be at least 1")
    warnings.simplefilter("ignore")  # Authlib's httpx integration warns on import
    sizes = QUICK if args.quick else FULL
    if args.slice_rounds is not None:
        sizes = replace(sizes, slice_rounds=args.slice_rounds)
    if args.sniffio_rounds is not None:
        sizes = replace(sizes, sniffio_rounds=args.sniffio_rounds)
    chosen = set(args.only or SCENARIOS)
    write_docs = (not args.quick) if args.docs is None else args.docs
    command = "python -m benchmarks" + (" --quick" if args.quick else "")
    if args.slice_rounds is not None:
        command += f" --slice-rounds {args.slice_rounds}"
    RESULTS.mkdir(parents=True, exist_ok=True)
    img = DOCS / "img" if write_docs else RESULTS
    img.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    sections: list[str] = []
    peers = all_peers()

    with server_process() as url:
        log(f"reference server at {url}")
        if "overhead" in chosen:
            log(f"per-call overhead: {sizes.calls} calls each, {sizes.rounds} interleaved rounds")
            rows_s, lat_s = overhead.run_sync(url, calls=sizes.calls, rounds=sizes.rounds)
            rows_a, lat_a = overhead.run_async(url, calls=sizes.calls, rounds=sizes.rounds)
            charts.latency({"sync": lat_s, "async": lat_a}, img / "latency.png")
            sections.append(
                "## Per-call overhead on a valid token (`GET /me`)\n\n"
                + report.overhead(rows_s + rows_a, sizes.rounds)
            )
            log(sections[-1])
            log(f"per-call overhead, turns every call: {sizes.calls} calls each")
            turns = sizes.calls  # one call per round: each call finds the others' code in cache
            cold_s, _ = overhead.run_sync(url, calls=sizes.calls, rounds=turns)
            cold_a, _ = overhead.run_async(url, calls=sizes.calls, rounds=turns)
            sections.append(
                "## Clients taking turns every call: per-call overhead on a valid token\n\n"
                + report.overhead(cold_s + cold_a, turns)
            )
            log(sections[-1])
        if "storm" in chosen:
            log(f"refresh storm: {sizes.tasks} asyncio tasks / {sizes.threads} threads")
            rows = storm.run(
                peers,
                url,
                tasks=sizes.tasks,
                threads=sizes.threads,
                reuse_modes=sizes.storm_reuse_modes,
                log=log,
            )
            charts.storm(rows, img / "storm.png")
            sections.append(
                f"## Refresh storm (logged in with a {storm.TOKEN_TTL:.0f} s token, waited until "
                f"it expired, then N calls at once; renewed tokens live "
                f"{storm.REFRESHED_TTL:.0f} s, or 1 s in the last row, where the queue outlasts "
                "every token)\n\n" + report.storm(rows)
            )
            log(sections[-1])
        if "soak" in chosen:
            log(f"soak: {sizes.soak_workers} threads, {sizes.soak_seconds:.0f} s, 1 s tokens")
            soak_rows = soak.run(
                peers, url, workers=sizes.soak_workers, seconds=sizes.soak_seconds, log=log
            )
            sections.append(
                f"## Soak ({soak.TOKEN_TTL:.0f} s access tokens, reuse detection on)\n\n"
                + report.soak(soak_rows)
            )
            log(sections[-1])
        if "interleaved" in chosen:
            log(
                f"interleaved soak: {sizes.soak_workers} workers, {sizes.slice_rounds} rounds "
                f"of {sizes.slice_seconds:g} s slices per client"
            )
            inter_rows = interleaved.run(
                url,
                rounds=sizes.slice_rounds,
                slice_s=sizes.slice_seconds,
                workers=sizes.soak_workers,
                log=log,
            )
            charts.interleaved(inter_rows, img / "interleaved.png")
            sections.append(
                "## Interleaved soak against the static-token client (short tokens, slow token "
                "endpoint; ours ÷ static, medians over rounds)\n\n" + report.interleaved(inter_rows)
            )
            log(sections[-1])
        if "lanes" in chosen:
            log(f"asyncio lanes: raw httpx, {sizes.slice_rounds} rounds of "
                f"{sizes.slice_seconds:g} s slices per transport")  # fmt: skip
            lane_rows = lanes.run(
                url, rounds=sizes.slice_rounds, slice_s=sizes.slice_seconds, log=log
            )
            sections.append(
                "## Asyncio lanes (raw httpx, static token, `GET /me`; "
                "`httpx.AsyncHTTPTransport` against `AsyncLaneTransport`, interleaved)\n\n"
                + report.lanes(lane_rows)
            )
            log(sections[-1])
        if "multiprocess" in chosen:
            log(f"multi-process: {sizes.processes} processes, {sizes.mp_seconds:.0f} s")
            mp_rows, missing = multiprocess.run(
                url, processes=sizes.processes, seconds=sizes.mp_seconds, log=log
            )
            sections.append(
                "## Processes sharing one token store (SessionClient, 1 s tokens, reuse "
                "detection on)\n\n" + report.multiprocess(mp_rows, missing)
            )
            log(sections[-1])
        if "sniffio" in chosen:
            log(f"sniffio: with and without, {sizes.sniffio_rounds} rounds of "
                f"{sizes.sniffio_calls}-call slices per client")  # fmt: skip
            sniffio_result = sniffio_cost.run(
                url,
                rounds=sizes.sniffio_rounds,
                calls=sizes.sniffio_calls,
                sniffio_from=args.sniffio_from,
                log=log,
            )
            sections.append(
                "## sniffio installed or not: async per-call cost (`GET /me`, valid token, "
                "interleaved)\n\n"
                + report.sniffio(
                    sniffio_result,
                    "python -m benchmarks --only sniffio"
                    + (" --quick" if args.quick else "")
                    + (f" --sniffio-rounds {args.sniffio_rounds}" if args.sniffio_rounds else ""),
                )
            )
            log(sections[-1])
    if "drf" in chosen:
        log("real Django REST framework + SimpleJWT upstream (gunicorn gthread, 32 threads)")
        drf_rows = drf.run(
            tasks=sizes.drf_tasks,
            threads=sizes.threads,
            workers=sizes.soak_workers,
            seconds=sizes.soak_seconds,
            log=log,
        )
        sections.append(
            "## Real SimpleJWT upstream (Django REST framework + djangorestframework-simplejwt "
            "5.5.1, rotation and blacklist after rotation, gunicorn gthread 32 threads, sqlite)"
            "\n\n" + report.drf(drf_rows)
        )
        log(sections[-1])
    if "build" in chosen:
        log("import and generation time")
        build_rows, deps = build.run(runs=sizes.import_runs, operations=sizes.operations)
        sections.append(
            "## Generation and import time\n\n" + report.build(build_rows, deps, sizes.import_runs)
        )
        log(sections[-1])

    elapsed = time.monotonic() - started
    header = (
        f"Command: `{command}` ({elapsed:.0f} s)\n\n"
        f"Machine: {report.machine()}.\n\n"
        "Peers: " + "; ".join(f"**{p.name}**: {p.note}" for p in peers) + "."
    )
    body = header + "\n\n" + "\n\n".join(sections) + "\n"
    (RESULTS / "latest.md").write_text(body, encoding="utf-8")
    log(f"wrote {RESULTS / 'latest.md'}")
    if write_docs:
        page = DOCS / "benchmarks.md"
        if args.only and page.exists():  # a partial run replaces only its own sections
            rerun = f"_Re-run on its own with `python -m benchmarks --only {' '.join(args.only)}`._"
            text = merge_sections(page.read_text(encoding="utf-8"), sections, rerun)
        else:
            text = docs_page(body)
        page.write_text(text, encoding="utf-8")
        log(f"wrote {page} and charts in {img}")
    return 0


def docs_page(body: str) -> str:
    return INTRO + "\n" + body + CHARTS + NOTES


def merge_sections(page: str, sections: list[str], note: str) -> str:
    """``page`` with each section whose heading starts like one of ``sections`` replaced
    by it (a section runs from its ``## `` heading to the next); ``note`` follows each
    replaced heading; a section the page does not have yet goes after the one before it
    in ``sections``. The charts and the notes are rewritten from this file's text."""
    main, _, _ = page.partition(CHARTS.strip("\n").split("\n")[0])
    blocks = main.split("\n## ")
    placed = len(blocks) - 1
    for section in sections:
        heading, _, rest = section.partition("\n")
        key = " ".join(heading.removeprefix("## ").split()[:2])
        text = f"{heading.removeprefix('## ')}\n\n{note}\n{rest.rstrip()}\n"
        found = next((i for i, block in enumerate(blocks) if i and block.startswith(key)), None)
        if found is None:
            placed += 1
            blocks.insert(placed, text)
        else:
            blocks[found] = text
            placed = found
    return "\n## ".join(blocks).rstrip("\n") + "\n" + CHARTS + NOTES


INTRO = """# Benchmarks

Generated by `.venv/bin/python -m benchmarks` (see `benchmarks/run.py`; `--quick` runs a
smaller version in under two minutes and only writes `benchmarks/results/`). Not part of
the test suite. The server is the reference server in its own process on 127.0.0.1,
except in the "Real SimpleJWT upstream" section: a Django REST framework +
djangorestframework-simplejwt project (`tests/drf_upstream/`) under gunicorn.
Quote the ratios, not the absolute times: this machine is shared and small.
"""

CHARTS = """
## Charts

![Per-call latency per client](img/latency.png)

![Refresh calls and failures per client in the storm](img/storm.png)

![Interleaved soak: throughput and p99 of ours ÷ the static-token client](img/interleaved.png)
"""

NOTES = """
## How to read the tables

- **Per-call overhead**: `median / floor` is the median latency over all calls divided by
  raw httpx's, measured in the same run. The per-round column pairs each client's block
  with the floor's block of the same round (one round = a block of calls per client,
  clients taking turns in an order that rotates every round): its median is the estimate
  that drift between rounds cannot move, its spread shows how much one block's median
  moves on a shared machine. `client CPU` is `time.thread_time()` per call in the calling
  thread (the server is another process). Target (issue 15): within 3% of the floor and
  no worse than the static-token client. SessionClient vs
  AuthenticatedClient isolates the session layer from the generated call's own cost
  (building the `User` model).
- **Clients taking turns every call**: the same measurement with one call per round, so
  each call starts after the other clients' calls, as an application's call starts after
  its own work: the code and objects a client touches are then partly out of the CPU
  caches, and a client that runs more Python per call pays for it more than in blocks
  of calls. The per-round spread is that of single calls.
- **Refresh storm**: target is exactly 1 refresh call and 0 failed calls in every row.
  "extra logins" are password logins after the first one (httpx-auth's waiting threads log
  in again instead of using the token the first thread obtained). Each asyncio storm is
  bounded at 120 s; unfinished calls are cancelled and counted as failures.
- **Soak**: about one refresh per token lifetime (20 in 20 s) and no 401s means the client
  refreshes before expiry; "client failures" are calls that raised.
- **Real SimpleJWT upstream**: `SessionAuth` with `SimpleJwtBinding` on plain httpx
  clients, with and without `DispatchTransport` (sign when the request gets its
  connection). Targets: 0 plain 401s reaching the application in every row; with 2 s
  tokens and default limits also 0 failures, refreshes within `wall / lifetime + 1` (the
  lifetime the server really granted: the median of `exp` minus the time of receipt;
  SimpleJWT floors `exp`, so a "2 s" token lives 1 to 2 s) and none "not newer" (a token
  that expires no later than the one it replaced). Where the
  server's queue outlasts a token (1 s tokens, or `Limits(500, 500)`), a call that cannot
  be served ends in `TokenRejected` (outlived) and one warning.
- **Interleaved soak**: `GET /me` from 8 workers, the static-token client and ours taking
  turns in slices; ours has short tokens and a slow token endpoint (a latency fault on
  login/refresh). While one client has its slice the other sends a trickle (one call every
  100 ms, not measured), both ways, so our session is not left idle past its expiry (an
  application under load never is; without it each of our slices started with a renewal
  every worker waited for). Throughput is the median over rounds of the per-round ratio of
  calls; p99 is taken over all rounds' calls, with the per-round ratio's spread. Targets
  (issue 15): throughput ≥ 0.97 of static and p99 ≤ 1.5 times static, 0 failures, about one
  refresh per token lifetime (the measured wall time ÷ the lifetime is in brackets).
- **Asyncio lanes**: raw httpx with a static token on `httpx.AsyncHTTPTransport` and on
  `AsyncLaneTransport` (one single-connection pool per request in flight), taking turns
  in slices. "Lost connection races" counts how often a request found the connection
  httpcore had assigned it taken by another request and queued again (httpcore 1.0's
  asyncio pool; see docs/reliability.md); a request can lose hundreds in a row.
- **Processes**: one refresh per expiry across all processes means about `seconds / 1 s`
  refresh calls in total, with no reuse detected.
"""

NOTES += """
## How each peer was used

- **naive interceptor** (`benchmarks/clients/naive.py`): the pattern the product grew
  from, as an `httpx.Auth`: on 401 refresh with the refresh token it holds and resend once;
  no lock, no proactive refresh.
- **Authlib** 1.9 (`OAuth2Client` for threads, `AsyncOAuth2Client` for asyncio), set up
  from our login's token with `token=`, `token_endpoint=<url>/refreshToken`,
  `update_token=`. It sends the refresh grant form-encoded; its `refresh_token_request`
  compliance hook cannot turn that into JSON (`_http_post` url-decodes the hook's body back
  into form data), so the client's transport is `FormToJsonTransport`, which rewrites only
  form POSTs to the token URL into `POST /refreshToken {refresh_token}`. The default
  `leeway=60` makes a 1 s token look expired on every call, so a `leeway=0` variant is
  also run. It stores `expires_at` in whole seconds. It never refreshes on a 401.
- **httpx-auth** 0.23 (`OAuth2ResourceOwnerPasswordCredentials`): posts the password and
  refresh grants form-encoded to one `token_url`; its documented `client=` argument gets an
  `httpx.Client` on the same `FormToJsonTransport`, mapping them to `/login` and
  `/refreshToken`. Default `early_expiry` is 30 s (and `0` is turned into 30), so a
  `0.001` variant is also run. Its process-wide token cache is cleared between scenarios.
  Under asyncio its token requests are blocking calls on the event loop. It never reacts
  to a 401.
- The per-call table compares only clients that send a static valid token (raw httpx,
  the generated `AuthenticatedClient`) with ours: the floor is raw httpx plus
  `response.json()`; the generated calls also build the `User` model.
"""


if __name__ == "__main__":
    sys.exit(main())
