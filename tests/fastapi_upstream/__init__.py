"""A real login-only FastAPI upstream in the shape of FastAPI's full-stack template, for tests.

``app`` is the application (OAuth2PasswordBearer, a form login answering a bare
``{"access_token", "token_type": "bearer"}``, HS256 JWTs with ``exp``, no refresh token);
``server.serve_fastapi`` runs it under uvicorn on a free 127.0.0.1 port (see server.py for the
fixtures).
"""
