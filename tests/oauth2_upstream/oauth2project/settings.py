"""Settings: django-oauth-toolkit with rotation and reuse protection, driven by the environment.

The fixture (server.py) sets these variables; the defaults are what ``serve_oauth2`` uses:

- ``OAUTH2_UPSTREAM_DB``: the sqlite file (default: in memory, for the schema export).
- ``OAUTH2_UPSTREAM_ACCESS_TOKEN_EXPIRE_SECONDS``: DOT's ``ACCESS_TOKEN_EXPIRE_SECONDS``
  (the access-token lifetime and the ``expires_in`` of every token answer; default 60).
- ``OAUTH2_UPSTREAM_ROTATE_REFRESH_TOKEN``: ``ROTATE_REFRESH_TOKEN`` (``1``/``0``; default 1).
- ``OAUTH2_UPSTREAM_REFRESH_TOKEN_GRACE_PERIOD_SECONDS``: ``REFRESH_TOKEN_GRACE_PERIOD_SECONDS``
  (default 0: a rotated refresh token is refused at once).
- ``OAUTH2_UPSTREAM_REFRESH_TOKEN_REUSE_PROTECTION``: ``REFRESH_TOKEN_REUSE_PROTECTION``
  (default 1: presenting a revoked refresh token revokes its whole family).

Client secrets are hashed at rest (DOT's default, ``hash_client_secret=True``) with Django's
default password hasher, which here is MD5 (as in tests/drf_upstream): PBKDF2's million
iterations would cost about half a second of CPU per token request, since every token request
checks a client secret and every password grant a user password too.
"""

from __future__ import annotations

import os

_PREFIX = "OAUTH2_UPSTREAM_"


def _int(name: str, default: int) -> int:
    return int(os.environ.get(_PREFIX + name, str(default)))


SECRET_KEY = "oauth2-upstream-test-only-key-not-a-secret-0123456789"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "oauth2project.urls"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "rest_framework",
    "oauth2_provider",
    "drf_spectacular",
    "oauth2project",
]
MIDDLEWARE = ["oauth2project.counters.CountingMiddleware"]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get(_PREFIX + "DB", ":memory:"),
        "OPTIONS": {"timeout": 30, "transaction_mode": "IMMEDIATE"},
    }
}

OAUTH2_PROVIDER = {
    "ACCESS_TOKEN_EXPIRE_SECONDS": _int("ACCESS_TOKEN_EXPIRE_SECONDS", 60),
    "ROTATE_REFRESH_TOKEN": bool(_int("ROTATE_REFRESH_TOKEN", 1)),
    "REFRESH_TOKEN_GRACE_PERIOD_SECONDS": _int("REFRESH_TOKEN_GRACE_PERIOD_SECONDS", 0),
    "REFRESH_TOKEN_REUSE_PROTECTION": bool(_int("REFRESH_TOKEN_REUSE_PROTECTION", 1)),
    "SCOPES": {"read": "Read items", "write": "Create items"},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "oauth2_provider.contrib.rest_framework.OAuth2Authentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "oauth2_provider.contrib.rest_framework.TokenHasReadWriteScope",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}

# drf-spectacular's django-oauth-toolkit extension (drf_spectacular.contrib.django_oauth_toolkit)
# writes the oauth2 security scheme from these, verbatim. DOT's token endpoint is a Django view,
# not a DRF one, so it is not among the document's paths. OpenAPI 3.0's flows have no place for
# a revocation endpoint, and drf-spectacular no setting for one.
SPECTACULAR_SETTINGS = {
    "TITLE": "OAuth2 upstream (django-oauth-toolkit, tests)",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Every path is under /api/items/: without this the common prefix is all of it, and the
    # operations come out untagged, as root_list, root_create and root_retrieve.
    "SCHEMA_PATH_PREFIX": "/api/",
    "OAUTH2_FLOWS": ["password", "clientCredentials"],
    "OAUTH2_TOKEN_URL": "/o/token/",
    "OAUTH2_REFRESH_URL": "/o/token/",
    "OAUTH2_SCOPES": {"read": "Read items", "write": "Create items"},
}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# DOT logs an RFC 9700 notice on every password grant: the grant is this upstream's point.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "root": {"level": "WARNING"},
    "loggers": {"oauth2_provider": {"level": "ERROR"}},
}
