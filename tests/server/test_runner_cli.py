"""Starting the server: ``serve()`` in a thread, and the CLI in a subprocess."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from reference_server import DEMO_EMAIL, DEMO_PASSWORD, Control, serve
from reference_server.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
URL_LINE = "Items API listening on "


def test_serve_binds_a_free_local_port_and_stops() -> None:
    with serve(access_ttl=2.5, reuse_detection=False) as url, Control(url) as control:
        assert url.startswith("http://127.0.0.1:")
        config = control.config()
        assert (config.access_ttl, config.reuse_detection) == (2.5, False)
        port = int(url.rsplit(":", 1)[1])
    # Stopped: the port no longer accepts connections.
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=2):
        pass


def test_two_servers_have_separate_state() -> None:
    with serve() as first, serve() as second:
        assert first != second
        login = {"email": DEMO_EMAIL, "password": DEMO_PASSWORD}
        assert httpx.post(f"{first}/login", json=login, timeout=10).status_code == 200
        with Control(first) as one, Control(second) as two:
            assert (one.counters().logins, two.counters().logins) == (1, 0)


def test_serve_rejects_bad_config() -> None:
    with pytest.raises(ValueError), serve(access_ttl=0):
        pass


def test_help_documents_the_demo_credentials() -> None:
    text = build_parser().format_help()
    assert DEMO_EMAIL in text
    assert DEMO_PASSWORD in text


@contextmanager
def running(command: list[str], timeout: float = 15.0) -> Iterator[str]:
    """Start the CLI, read the URL it prints (with a timeout), stop it afterwards."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    stdout = process.stdout

    def pump() -> None:
        for line in stdout:
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    try:
        try:
            line = lines.get(timeout=timeout)
        except queue.Empty:
            pytest.fail(f"no URL printed within {timeout}s")
        assert line.startswith(URL_LINE), line
        yield line.removeprefix(URL_LINE).strip()
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        if process.stderr is not None:
            process.stderr.close()
        stdout.close()


def _cli_commands() -> list[list[str]]:
    commands = [[sys.executable, "-m", "reference_server"]]
    script = shutil.which("items-api-server", path=str(Path(sys.executable).parent))
    if script is not None:  # present once the project is pip-installed
        commands.append([script])
    return commands


@pytest.mark.parametrize("command", _cli_commands(), ids=lambda c: Path(c[-1]).name)
def test_cli_prints_its_url_and_serves(command: list[str]) -> None:
    args = ["--port", "0", "--access-ttl", "0.5", "--no-reuse-detection"]
    with running(command + args) as url:
        assert url.startswith("http://127.0.0.1:")
        with httpx.Client(base_url=url, timeout=10) as http:
            login = http.post("/login", json={"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
            assert login.status_code == 200
            assert login.json()["expires_in"] == 0.5
            assert http.get("/_control/config").json()["reuse_detection"] is False
            assert http.get("/me").headers["www-authenticate"] == 'Bearer error="invalid_token"'


def test_cli_rejects_a_bad_ttl() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "reference_server", "--access-ttl", "-1"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert "positive" in result.stderr
