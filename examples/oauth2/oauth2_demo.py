"""The third upstream, end to end: a standard OAuth2 provider (django-oauth-toolkit: one token
endpoint, form bodies, HTTP Basic client authentication, rotation with reuse protection),
driven through ``oauth2_sdk`` (``make demo-oauth2``).

``oauth2_sdk`` was made by ``python -m generator init`` and ``python -m generator`` from the
provider's own schema (drf-spectacular's export, whose ``securitySchemes.oauth2`` declares the
password and clientCredentials flows at ``/o/token/``); its config is untouched and nothing of
the session is hand-written. Starts the Django project (tests/oauth2_upstream) under gunicorn on a
free 127.0.0.1 port with 2-second access tokens, logs in as a user, lets the token expire under
50 concurrent calls, then does the same as a machine-to-machine client, and prints what the
server counted.
"""

from __future__ import annotations

import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import oauth2_sdk as sdk

# The Django project lives with the tests; its runner starts and stops the server.
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests"))
from oauth2_upstream.server import OAuth2Upstream, serve_oauth2


def _storm(client: sdk.SessionClient, upstream: OAuth2Upstream, grant: str) -> None:
    tokens = client.tokens
    assert tokens is not None and tokens.expires_at is not None
    time.sleep(max(0.0, tokens.expires_at - time.time()) + 0.2)  # expired now
    upstream.reset_counters()
    with ThreadPoolExecutor(50) as pool:
        counts = list(pool.map(lambda _: sdk.items.items_list(client).count, range(50)))
    served = upstream.counters()
    print(
        f"  50 concurrent calls on an expired token: {len(counts)} answered; the server saw "
        f"{served.token_requests.get(grant, 0)} {grant} grant(s), "
        f"{served.refresh_tokens_reused} refresh token(s) presented twice, "
        f"401s {served.api.get(401, 0)}"
    )


def main() -> None:
    with serve_oauth2(access_seconds=2) as upstream:
        print(f"django-oauth-toolkit at {upstream.url} (2 s tokens, rotation, reuse protection)")
        user = upstream.password_client
        with sdk.SessionClient(
            base_url=upstream.url, client_id=user.client_id, client_secret=user.client_secret
        ) as client:
            client.login(upstream.username, upstream.password)
            print(f"password grant as {upstream.username!r}: {client.tokens!r}")
            print(f"  the secret stays hidden: {client.binding!r}")
            page = sdk.items.items_list(client)
            print(f"  first page: {len(page.results)} of {page.count} items")
            _storm(client, upstream, "refresh_token")

        service = upstream.service_client
        with sdk.SessionClient(
            base_url=upstream.url,
            client_id=service.client_id,
            client_secret=service.client_secret,
            grant="client_credentials",
        ) as machine:
            item = sdk.items.items_retrieve(machine, id=7)  # no login: obtained as the client
            print(f"client-credentials grant, no login(): items_retrieve(id=7) -> {item.name!r}")
            _storm(machine, upstream, "client_credentials")


if __name__ == "__main__":
    main()
