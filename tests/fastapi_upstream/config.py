"""The app's fixed names and credentials, importable without importing FastAPI (server.py)."""

from __future__ import annotations

import uuid

API_V1_STR = "/api/v1"
LOGIN_PATH = f"{API_V1_STR}/login/access-token"
USER_EMAIL, USER_PASSWORD = "admin@example.com", "admin-password"
USER_ID = uuid.UUID("00000000-0000-4000-8000-000000000001")
