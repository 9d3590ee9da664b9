"""``items-api-server`` / ``python -m reference_server``: run the reference server.

Prints ``Items API listening on http://HOST:PORT`` (flushed) once it accepts
requests, so a parent process can read the URL when started with ``--port 0``.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from .config import DEFAULT_ACCESS_TTL, DEFAULT_REFRESH_TTL, ServerConfig
from .runner import bind_socket, make_server, socket_url
from .state import DEMO_EMAIL, DEMO_PASSWORD, OTHER_EMAIL, OTHER_PASSWORD

_EPILOG = f"""\
seeded users (in memory, restored by POST /_control/reset):
  {DEMO_EMAIL} / {DEMO_PASSWORD}   (40 items)
  {OTHER_EMAIL} / {OTHER_PASSWORD}  (5 items)

test controls (no auth) live under /_control/: counters, reset, config,
forget-sessions, faults. See the reference_server.controls docstring.
"""


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError("must be a positive number of seconds")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="items-api-server",
        description="Run the stateful reference implementation of the Items API.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default %(default)s)")
    parser.add_argument(
        "--port",
        type=int,
        default=8000,
        help="port to bind; 0 picks a free one (default %(default)s)",
    )
    parser.add_argument(
        "--access-ttl",
        type=_positive_seconds,
        default=DEFAULT_ACCESS_TTL,
        help="access-token lifetime in seconds, fractions allowed (default %(default)s)",
    )
    parser.add_argument(
        "--refresh-ttl",
        type=_positive_seconds,
        default=DEFAULT_REFRESH_TTL,
        help="refresh-token lifetime in seconds (default %(default)s)",
    )
    parser.add_argument(
        "--reuse-detection",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="revoke the session when a spent refresh token is presented (default on)",
    )
    parser.add_argument(
        "--log-level",
        default="warning",
        choices=["critical", "error", "warning", "info", "debug"],
        help="uvicorn log level (default %(default)s; access logs stay off)",
    )
    return parser


async def _run(args: argparse.Namespace) -> None:
    config = ServerConfig(
        access_ttl=args.access_ttl,
        refresh_ttl=args.refresh_ttl,
        reuse_detection=args.reuse_detection,
    )
    sock = bind_socket(args.host, args.port)
    server = make_server(config, log_level=args.log_level, own_logging=True)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started and not task.done():
        await asyncio.sleep(0.01)
    if server.started:
        print(f"Items API listening on {socket_url(sock)}", flush=True)
    await task


def main(argv: Sequence[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    try:
        asyncio.run(_run(args))
    except OSError as error:
        print(f"items-api-server: {error}", file=sys.stderr)
        raise SystemExit(1) from None
    except KeyboardInterrupt:
        pass
