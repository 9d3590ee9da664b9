"""The Redis token store on a fleet: Cluster and Sentinel, failovers right after a refresh.

``python -m benchmarks.redis_fleet`` runs the long trials and prints tables;
``servers`` starts the real deployments (shared with ``tests/stores``).
"""
