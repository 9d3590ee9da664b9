"""The documentation's Python blocks, run against real local servers."""
