"""The Redis token store on a fleet: Cluster and Sentinel, failovers right after a refresh.

``python -m benchmarks.redis_fleet`` runs the long trials and prints tables;
``processes`` wraps one Redis process and ``servers`` builds the real deployments
from them (both shared with ``tests/stores``).
"""
