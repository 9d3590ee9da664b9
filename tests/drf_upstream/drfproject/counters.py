"""What the server answered, counted per path and status, for tests to assert on.

The project runs in one gunicorn worker process (many threads), so a lock
around a dict is the whole story. ``GET /_counters/`` reads, ``POST
/_counters/reset/`` zeroes; both are outside the API (no authentication).
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

_lock = threading.Lock()
_counts: Counter[str] = Counter()


class CountingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/_counters/"):
            return self.control(request)
        response = self.get_response(request)
        with _lock:
            _counts[f"{request.path} {response.status_code}"] += 1
        return response

    @staticmethod
    def control(request: HttpRequest) -> HttpResponse:
        with _lock:
            if request.method == "POST" and request.path == "/_counters/reset/":
                _counts.clear()
                return HttpResponse(status=204)
            return HttpResponse(json.dumps(dict(_counts)), content_type="application/json")
