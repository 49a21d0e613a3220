"""Where a dashboard page's time goes: for each of the bench's leadership filter sets and unit
dashboards (benchmarks.run's `dashboards` step, the cache off), the median wall time, the
Django process's own CPU time (time.process_time: what a quiet machine pays in Python whatever
the load) and the SQL time (CaptureQueriesContext), the query count and the page's size.

    DATABASE_URL=... REDIS_URL=... python -m benchmarks.page_time --runs 9
"""

from __future__ import annotations

import argparse
import os
import statistics
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc_portal.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.urls import reverse

    from benchmarks import run as bench

    people = bench.personas()
    leader = bench.logged_in(people["leader"])
    pages = {
        f"leadership {label}": bench._with_query(reverse("reporting:leadership_dashboard"), params)
        for label, params in bench.leadership_filter_sets().items()
    }
    for label, pk in bench.unit_choices(people).items():
        pages[f"unit {label}"] = reverse("reporting:unit_dashboard_of", args=[pk])

    def ms(values: list[float]) -> str:
        return f"{statistics.median(values) * 1000:.0f} ms"

    print("| Page | wall | Python CPU | SQL | queries | bytes |\n|---|---|---|---|---|---|")  # noqa: T201
    with override_settings(DASHBOARD_CACHE_SECONDS=0):
        for label, url in pages.items():
            leader.get(url)  # warm-up
            walls, cpus, sqls = [], [], []
            for _run in range(args.runs):
                with CaptureQueriesContext(connection) as queries:
                    cpu, wall = time.process_time(), time.perf_counter()
                    response = leader.get(url)
                    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
                if response.status_code != 200:
                    raise RuntimeError(f"{url} answered {response.status_code}")
                walls.append(wall)
                cpus.append(cpu)
                sqls.append(sum(float(query["time"]) for query in queries.captured_queries))
            print(  # noqa: T201
                f"| {label} | {ms(walls)} | {ms(cpus)} | {ms(sqls)} | "
                f"{len(queries.captured_queries)} | {len(response.content):,} |"
            )


if __name__ == "__main__":
    main()
