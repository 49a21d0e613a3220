"""Province-scale benchmarks: a seeded data generator and `make bench` (PostgreSQL and Redis only).

Not a Django app: each module runs as `python -m benchmarks.<name>` and sets Django up itself.
"""
