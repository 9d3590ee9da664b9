"""Where credentials may go: the base URL's origin, an explicit allowlist, https only.

The Authorization header is attached only to requests whose origin (scheme,
host, port) is allowed; everything else is sent untouched, so a call to a
third-party URL through the same client never leaks the token. Plain http is
refused before anything is sent unless the host is loopback or the application
opted in.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

import httpx

from .errors import InsecureTransport

__all__ = ["Origin", "OriginPolicy", "is_loopback", "origin_of"]

Origin = tuple[str, str, int]
_DEFAULT_PORTS = {"http": 80, "https": 443}
_MAX_VERDICTS = 256


def origin_of(url: httpx.URL | str) -> Origin:
    if not isinstance(url, httpx.URL):
        url = httpx.URL(url)
    scheme = url.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not url.host:
        raise ValueError(f"not an http(s) URL with a host: {scheme}://{url.host}")
    return (scheme, url.host.lower(), url.port or _DEFAULT_PORTS[scheme])


def is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class OriginPolicy:
    """Decides which requests carry credentials and refuses insecure ones."""

    def __init__(
        self,
        base_url: httpx.URL | str,
        allowed_origins: Iterable[str] = (),
        *,
        allow_insecure_http: bool = False,
    ) -> None:
        self.base_url = httpx.URL(base_url)
        self.allow_insecure_http = allow_insecure_http
        self.origins = frozenset([origin_of(self.base_url), *map(origin_of, allowed_origins)])
        for origin in self.origins:
            self._check(origin)
        self._verdicts: dict[tuple[str, str, int | None], bool] = {}
        """``carries_credentials`` by (scheme, host, port) as httpx spells them, so the
        per-request check is one lookup (bounded: cleared when it grows)."""

    def _check(self, origin: Origin) -> None:
        scheme, host, port = origin
        if scheme == "http" and not self.allow_insecure_http and not is_loopback(host):
            raise InsecureTransport(
                f"refusing to send credentials over plain http to {host}:{port}; "
                "use https, or pass allow_insecure_http=True"
            )

    def carries_credentials(self, url: httpx.URL) -> bool:
        key = (url.scheme, url.host, url.port)
        verdict = self._verdicts.get(key)
        if verdict is None:
            try:
                verdict = origin_of(url) in self.origins
            except ValueError:
                verdict = False
            if len(self._verdicts) >= _MAX_VERDICTS:
                self._verdicts.clear()
            self._verdicts[key] = verdict
        return verdict

    def check(self, url: httpx.URL) -> None:
        """Raise ``InsecureTransport`` if credentials must not travel to ``url``."""
        origin = origin_of(url)
        if origin not in self.origins:  # allowed origins were checked once, at construction
            self._check(origin)
