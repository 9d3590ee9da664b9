"""The Django project behind tests/oauth2_upstream (also the app holding items and counters)."""
