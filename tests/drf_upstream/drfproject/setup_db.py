"""``python -m drfproject.setup_db``: create the sqlite schema and the test user."""

from __future__ import annotations

import os

import django

USER, PASSWORD = "alice", "alice-password"


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "drfproject.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    get_user_model().objects.create_user(username=USER, password=PASSWORD)


if __name__ == "__main__":
    main()
