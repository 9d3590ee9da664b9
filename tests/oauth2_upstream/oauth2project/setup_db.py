"""``python -m oauth2project.setup_db``: the sqlite schema, the user, the two clients, the items.

The clients' secrets are given here in plaintext and stored hashed (DOT's default); the
fixture (server.py) hands the plaintext ones to the tests.
"""

from __future__ import annotations

import os

import django

USER, PASSWORD = "alice", "alice-password"
# A confidential client allowed the password grant (and so refresh_token), and one allowed
# client_credentials: DOT gives each Application one authorization grant type.
PASSWORD_CLIENT_ID, PASSWORD_CLIENT_SECRET = "password-client", "password-client-secret"
SERVICE_CLIENT_ID, SERVICE_CLIENT_SECRET = "service-client", "service-client-secret"


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oauth2project.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from oauth2_provider.models import Application

    from .counters import SEED_ITEMS
    from .models import Item

    call_command("migrate", verbosity=0, interactive=False)
    user = get_user_model().objects.create_user(username=USER, password=PASSWORD)
    for client_id, secret, grant, name in (
        (PASSWORD_CLIENT_ID, PASSWORD_CLIENT_SECRET, Application.GRANT_PASSWORD, "Password"),
        (SERVICE_CLIENT_ID, SERVICE_CLIENT_SECRET, Application.GRANT_CLIENT_CREDENTIALS, "Svc"),
    ):
        Application.objects.create(
            name=name,
            client_id=client_id,
            client_secret=secret,
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=grant,
            user=user,
        )
    Item.objects.bulk_create(
        Item(id=n, name=f"Item {n}", price=n * 1.5) for n in range(1, SEED_ITEMS + 1)
    )


if __name__ == "__main__":
    main()
