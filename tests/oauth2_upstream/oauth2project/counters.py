"""What the server answered, counted in the database (so every gunicorn worker adds to the same
counts), for tests to assert on; plus a few controls that set the server's state.

Keys of ``GET /_counters/``'s ``counts`` (each a number of requests since the last reset):

- ``token_requests|<grant_type>``: requests to ``/o/token/`` (``(none)`` without a grant_type)
- ``token_ok|<grant_type>``: of those, answered 200
- ``token_error|<grant_type>|<error>``: answered otherwise, with the ``error`` of the JSON body
  (``invalid_grant``, ``invalid_client``, ``unsupported_grant_type``...; ``(status NNN)`` without)
- ``revoke|<status>``: requests to ``/o/revoke_token/``
- ``api|<status>``: requests to ``/api/...``
- ``path|<METHOD> <path>|<status>``: every request, by method and path

and beside ``counts``: ``refresh_tokens_presented`` (distinct refresh token values seen in
refresh_token grant requests) and ``refresh_tokens_reused`` (how many of them came twice or more).

Controls (no authentication, outside the API): ``POST /_counters/reset/`` zeroes the counters;
``POST /_control/reset/`` also deletes every token and grant and the items the API created;
``POST /_control/revoke-all/`` revokes every refresh token and deletes every access token (what
an administrator revoking all sessions does); ``POST /_control/expire-access/`` makes every
access token expired now. Each answers ``{"affected": N}``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.utils import timezone

from .models import Count, Item, PresentedRefreshToken

TOKEN_PATH, REVOKE_PATH = "/o/token/", "/o/revoke_token/"
SEED_ITEMS = 25


def _add(keys: list[str]) -> None:
    table = Count._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        for key in keys:
            cursor.execute(
                f"INSERT INTO {table} (key, value) VALUES (%s, 1) "
                "ON CONFLICT (key) DO UPDATE SET value = value + 1",
                [key],
            )


def _presented(token: str) -> None:
    table = PresentedRefreshToken._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (token, times) VALUES (%s, 1) "
            "ON CONFLICT (token) DO UPDATE SET times = times + 1",
            [token],
        )


def _error_code(response: HttpResponse) -> str:
    try:
        body = json.loads(response.content)
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("error"), str):
        return str(body["error"])
    return f"(status {response.status_code})"


class CountingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(("/_counters/", "/_control/")):
            return control(request)
        grant = None
        if request.path == TOKEN_PATH and request.method == "POST":
            # The body stays readable for DOT: Django keeps it once read.
            form = QueryDict(request.body)
            grant = form.get("grant_type") or "(none)"
            refresh_token = form.get("refresh_token")
            if grant == "refresh_token" and refresh_token:
                _presented(refresh_token)
        response = self.get_response(request)
        status = response.status_code
        keys = [f"path|{request.method} {request.path}|{status}"]
        if grant is not None:
            keys.append(f"token_requests|{grant}")
            if status == 200:
                keys.append(f"token_ok|{grant}")
            else:
                keys.append(f"token_error|{grant}|{_error_code(response)}")
        elif request.path == REVOKE_PATH:
            keys.append(f"revoke|{status}")
        elif request.path.startswith("/api/"):
            keys.append(f"api|{status}")
        _add(keys)
        return response


def _counts() -> dict[str, object]:
    presented = PresentedRefreshToken.objects
    return {
        "counts": dict(Count.objects.values_list("key", "value")),
        "refresh_tokens_presented": presented.count(),
        "refresh_tokens_reused": presented.filter(times__gte=2).count(),
    }


def _zero() -> None:
    Count.objects.all().delete()
    PresentedRefreshToken.objects.all().delete()


def control(request: HttpRequest) -> HttpResponse:
    from oauth2_provider.models import AccessToken, Grant, IDToken, RefreshToken

    if request.method != "POST":
        return JsonResponse(_counts())
    affected = 0
    with transaction.atomic():
        if request.path == "/_counters/reset/":
            _zero()
        elif request.path == "/_control/reset/":
            _zero()
            for model in (RefreshToken, AccessToken, IDToken, Grant):
                affected += model.objects.all().delete()[0]
            Item.objects.filter(id__gt=SEED_ITEMS).delete()
        elif request.path == "/_control/revoke-all/":
            now = timezone.now()
            affected = RefreshToken.objects.filter(revoked__isnull=True).update(
                revoked=now, access_token=None
            )
            AccessToken.objects.all().delete()
        elif request.path == "/_control/expire-access/":
            past = timezone.now() - timedelta(seconds=1)
            affected = AccessToken.objects.filter(expires__gt=past).update(expires=past)
        else:
            return JsonResponse({"detail": "no such control"}, status=404)
    return JsonResponse({"affected": affected})
