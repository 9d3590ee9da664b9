"""The benchmark scenarios; each returns plain dataclass rows for ``benchmarks.report``."""
