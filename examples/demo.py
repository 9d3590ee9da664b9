"""A scripted session against the embedded reference server: what the session layer does for you.

Run it with ``make demo`` (or ``.venv/bin/python examples/demo.py``; ``-v`` shows the
session layer's own log lines). It starts the reference Items API with access tokens
that live 2 seconds, logs in once, and then keeps calling the API through expiry,
concurrent bursts and a server that forgets every session, printing what the server
saw. No token is ever printed.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a plain checkout too

import generated_sdk as sdk
from generated_sdk import SessionClient
from generated_sdk.models import ItemCreate
from reference_server import DEMO_EMAIL, DEMO_PASSWORD, Control, Counters, serve
from sdk_session import Credentials, SessionExpired, TokenSet

ACCESS_TTL = 2.0
BURST_TTL = 20.0
THREADS, CALLS_PER_THREAD = 100, 10
TASKS = 1000


def step(number: int, title: str) -> None:
    print(f"\n{number}. {title}")


def say(text: str) -> None:
    print(f"   {text}")


def describe(tokens: TokenSet | None) -> str:
    """What may be shown about a session: never the tokens themselves."""
    if tokens is None:
        return "no session"
    lifetime = "unknown lifetime" if tokens.lifetime is None else f"{tokens.lifetime:.1f} s"
    return f"{tokens.token_type} token, lives {lifetime}, store generation {tokens.generation}"


def delta(before: Counters, after: Counters) -> dict[str, int]:
    fields = ("logins", "refreshes", "failed_refreshes", "unauthorized", "reuse_detected")
    return {name: getattr(after, name) - getattr(before, name) for name in fields}


def report(calls: int, failures: int, seconds: float, before: Counters, after: Counters) -> None:
    d = delta(before, after)
    what = "1 call" if calls == 1 else f"{calls} calls"
    plural = "" if d["refreshes"] == 1 else "es"
    say(
        f"{what} after expiry: {d['refreshes']} refresh{plural}, {failures} failures "
        f"({d['unauthorized']} x 401, {d['reuse_detected']} reuse detected, {seconds:.1f} s)"
    )


def wait_past_expiry(client: SessionClient) -> None:
    tokens = client.tokens
    remaining = (
        0.0 if tokens is None or tokens.expires_at is None else tokens.expires_at - time.time()
    )
    pause = max(remaining, 0.0) + 0.3
    say(f"waiting {pause:.1f} s until the access token has expired ...")
    time.sleep(pause)


def force_expiry(client: SessionClient, control: Control) -> None:
    """Renew now to get a 2 s token, let it expire; tokens issued afterwards live 20 s."""
    control.configure(access_ttl=ACCESS_TTL)
    client.renew()
    control.configure(access_ttl=BURST_TTL)
    wait_past_expiry(client)


def thread_burst(client: SessionClient) -> tuple[int, int]:
    """THREADS threads sharing one client, CALLS_PER_THREAD calls each; (calls, failures)."""
    barrier = threading.Barrier(THREADS)
    failures: list[BaseException] = []
    lock = threading.Lock()

    def work() -> None:
        barrier.wait(30)
        for _ in range(CALLS_PER_THREAD):
            try:
                sdk.items.list(client, limit=1)
            except Exception as exc:
                with lock:
                    failures.append(exc)

    threads = [threading.Thread(target=work, daemon=True) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return THREADS * CALLS_PER_THREAD, len(failures)


async def task_burst(client: SessionClient) -> tuple[int, int]:
    """TASKS asyncio tasks sharing one client; (calls, failures)."""

    async def call() -> BaseException | None:
        try:
            await sdk.items.list.asyncio(client, limit=1)
        except Exception as exc:
            return exc
        return None

    async with client:
        results = await asyncio.wait_for(asyncio.gather(*(call() for _ in range(TASKS))), 60)
    return TASKS, sum(result is not None for result in results)


def timed(action: Callable[[], tuple[int, int]]) -> tuple[int, int, float]:
    started = time.perf_counter()
    calls, failures = action()
    return calls, failures, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("-v", "--verbose", action="store_true", help="show sdk_session's log")
    args = parser.parse_args()
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="   | %(name)s: %(message)s",
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if not args.verbose:
        logging.getLogger("sdk_session").setLevel(logging.ERROR)

    started = time.perf_counter()
    print("Items SDK demo: the session layer against the embedded reference server")
    with serve(access_ttl=ACCESS_TTL) as url, Control(url) as control:
        say(f"server {url}: access tokens live {ACCESS_TTL:g} s, refresh tokens rotate,")
        say("and presenting a spent refresh token revokes the session (RFC 9700)")
        relogins: list[str] = []
        expiries: list[SessionExpired] = []

        def credentials() -> Credentials:
            relogins.append("asked")
            return Credentials(DEMO_EMAIL, DEMO_PASSWORD)

        client = SessionClient(
            base_url=url,
            credentials=credentials,
            on_session_expired=expiries.append,
            timeout=30.0,
            # Many threads share this client: keep every pooled connection alive (httpx's
            # default closes surplus ones under load, which httpcore races with other threads).
            httpx_args={"limits": httpx.Limits(max_connections=100, max_keepalive_connections=100)},
        )

        step(1, "Log in")
        client.login(DEMO_EMAIL, DEMO_PASSWORD)
        say(f"logged in as {sdk.users.me(client).email}: {describe(client.tokens)}")

        step(2, "List and create items")
        page = sdk.items.list(client, limit=3)
        for item in page.items:
            say(f"#{item.id:<3} {item.name:<32} {item.price:>8.2f}  {item.status.value}")
        created = sdk.items.create(client, body=ItemCreate(name="Demo desk lamp", price=25.0))
        say(f"created #{created.id} {created.name!r} for {created.price:.2f}")

        step(3, "Keep calling across an expiry")
        wait_past_expiry(client)
        before = control.counters()
        calls, failures, seconds = timed(lambda: (1, 0 if sdk.items.get(client, item_id=1) else 1))
        report(calls, failures, seconds, before, control.counters())
        say(f"the call refreshed first; now: {describe(client.tokens)}")
        say(f"(each burst below starts on an expired {ACCESS_TTL:g} s token; the server then")
        say(f" issues {BURST_TTL:g} s tokens so that the burst spans exactly one expiry)")

        step(4, f"{THREADS} threads x {CALLS_PER_THREAD} calls, sharing one client")
        force_expiry(client, control)
        before = control.counters()
        calls, failures, seconds = timed(lambda: thread_burst(client))
        report(calls, failures, seconds, before, control.counters())

        step(5, f"{TASKS} asyncio tasks, sharing one client")
        force_expiry(client, control)
        before = control.counters()
        calls, failures, seconds = timed(lambda: asyncio.run(task_burst(client)))
        report(calls, failures, seconds, before, control.counters())

        step(6, "The server forgets every session (as after a restart)")
        control.forget_sessions()
        before = control.counters()
        me = sdk.users.me(client)
        d = delta(before, control.counters())
        say(f"the next call got a 401; its refresh was refused ({d['failed_refreshes']} failed),")
        say(f"so the credentials provider (asked {len(relogins)}x) logged in again")
        say(f"({d['logins']} login) and the call was resent: hello {me.email}")
        say(f"the application saw no error (session-expired events: {len(expiries)})")

        step(7, "Log out")
        client.logout()
        logouts = control.counters().logouts
        say(f"revoked upstream ({logouts} logout); store: {describe(client.tokens)}")
        client.close()

        totals = control.counters()
        step(8, "What the server saw in total")
        say(
            f"{sum(totals.requests.values())} requests, {totals.logins} logins, "
            f"{totals.refreshes} refreshes, {totals.failed_refreshes} failed refresh, "
            f"{totals.unauthorized} x 401, {totals.reuse_detected} reuse detected"
        )
    print(f"\nDone in {time.perf_counter() - started:.1f} s.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
