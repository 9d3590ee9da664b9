"""A real standard OAuth2 provider, django-oauth-toolkit, served by gunicorn for tests.

``oauth2project`` is a tiny Django project: DOT's token and revocation endpoints under
``/o/`` (password and client-credentials grants, refresh-token rotation with reuse
protection, hashed client secrets) and a small DRF API under ``/api/`` protected by DOT's
``OAuth2Authentication`` and ``TokenHasReadWriteScope``; ``server.serve_oauth2`` runs it
under gunicorn's threaded worker on a free 127.0.0.1 port (see server.py for the fixtures).
"""
