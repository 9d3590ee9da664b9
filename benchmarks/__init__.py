"""Measurements that are not tests (run by hand; see each module's docstring)."""
