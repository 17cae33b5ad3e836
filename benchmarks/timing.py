"""What the benchmark scripts share: timing a call with the queries it runs."""

import statistics
import time

RUNS = 20


def timed(call, runs: int = RUNS) -> tuple[float, float, int]:
    """Median and 95th percentile in ms of ``runs`` calls, and the queries of the last one
    (``connection.queries`` needs DEBUG=True, as the scripts set)."""
    from django.db import connection, reset_queries

    times, queries = [], 0
    for _ in range(runs):
        reset_queries()
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
        queries = len(connection.queries)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], queries
