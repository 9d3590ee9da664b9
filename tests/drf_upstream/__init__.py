"""A real Django REST framework + SimpleJWT upstream, served by gunicorn for tests and benchmarks.

``drfproject`` is a tiny Django project (rotation and blacklist after rotation on,
sqlite, drf-spectacular schema at ``/api/schema/``); ``server.serve_drf`` runs it
under gunicorn's threaded worker on a free 127.0.0.1 port.
"""
