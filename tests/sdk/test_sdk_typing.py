"""The SDK's static types, as an application sees them: mypy --strict on a snippet."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

SNIPPET = textwrap.dedent(
    """
    import httpx

    import generated_sdk as sdk
    from generated_sdk.models import ItemUpdate, LoginRequest

    client = sdk.AuthenticatedClient(base_url="http://127.0.0.1:8000", token="t")
    reveal_type(sdk.items.list(client))
    reveal_type(sdk.items.list(client, limit=20, cursor="c"))
    reveal_type(sdk.items.get(client, item_id=5))
    reveal_type(sdk.items.update(client, item_id=5, body=ItemUpdate(price=1.0)))
    reveal_type(sdk.auth.login(client, body=LoginRequest(email="e", password="p")))
    reveal_type(sdk.items.list.iter(client))
    reveal_type(sdk.items.list.aiter(client))

    async def main() -> None:
        reveal_type(await sdk.items.list.asyncio(client))
        reveal_type(await sdk.items.delete.asyncio_detailed(client, item_id=1))

    reveal_type(sdk.items.get.detailed(client, item_id=5))
    reveal_type(sdk.items.get.detailed(client, item_id=5).parsed)
    reveal_type(sdk.Client(base_url="http://127.0.0.1:8000"))
    reveal_type(sdk.errors.NotFound(httpx.Response(404)).error)
    sdk.items.delete(client, item_id=1, timeout=2.5, headers={"X-Trace": "1"})
    sdk.items.get(client, 5)
    sdk.items.get(client, item_id="5")
    sdk.items.lst(client)
    sdk.itemz
    """
)


def test_mypy_sees_exact_types(tmp_path: Path) -> None:
    snippet = tmp_path / "app.py"
    snippet.write_text(SNIPPET, encoding="utf-8")
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir",
            str(tmp_path / "cache"),
            "--no-error-summary",
            "--hide-error-context",
            str(snippet),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [line.split(": ", 2)[1:] for line in completed.stdout.splitlines()]
    notes = [text for kind, text in lines if kind == "note" and text.startswith("Revealed")]
    errors = [text for kind, text in lines if kind == "error"]
    assert notes == [
        'Revealed type is "generated_sdk.models.item_page.ItemPage"',
        'Revealed type is "generated_sdk.models.item_page.ItemPage"',
        'Revealed type is "generated_sdk.models.item.Item"',
        'Revealed type is "generated_sdk.models.item.Item"',
        'Revealed type is "generated_sdk.models.token_response.TokenResponse"',
        'Revealed type is "typing.Iterator[generated_sdk.models.item.Item]"',
        'Revealed type is "typing.AsyncIterator[generated_sdk.models.item.Item]"',
        'Revealed type is "generated_sdk.models.item_page.ItemPage"',
        'Revealed type is "sdk_session.types.Response[None]"',
        'Revealed type is "sdk_session.types.Response[generated_sdk.models.item.Item]"',
        'Revealed type is "generated_sdk.models.item.Item"',
        'Revealed type is "sdk_session.client.Client"',
        # The runtime's ApiError is every SDK's: its parsed body is the SDK's model at run time.
        'Revealed type is "Any"',
    ], completed.stdout
    assert len(errors) == 4, completed.stdout
    assert "Too many positional arguments" in errors[0]
    assert 'incompatible type "str"; expected "int"' in errors[1]
    assert 'has no attribute "lst"' in errors[2]
    assert 'has no attribute "itemz"' in errors[3]
