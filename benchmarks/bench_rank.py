"""Time ``taut.clinical.atlas.rank`` on a deterministic 40-mark pain drawing.

Run: .venv/bin/python benchmarks/bench_rank.py  (budget: under 1 ms per call)
"""

import random
import statistics
import time

from taut.clinical.atlas import REGIONS, rank

SEED = 2026
MARKS = 40
RUNS = 20_000


def drawing(seed: int = SEED, size: int = MARKS) -> list[tuple]:
    """``size`` distinct marks on random regions and sides, intensities 0-10."""
    rng = random.Random(seed)
    places = [
        (region.id, side)
        for region in REGIONS.values()
        for side in ((None,) if region.midline else ("left", "right"))
    ]
    return [(region_id, side, rng.randint(0, 10)) for region_id, side in rng.sample(places, size)]


def measure(marks: list[tuple], *, limit: int | None = None) -> list[float]:
    """Microseconds per call, one sample per call."""
    for _ in range(500):  # warm up
        rank(marks, limit=limit)
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter_ns()
        rank(marks, limit=limit)
        samples.append((time.perf_counter_ns() - start) / 1000)
    return samples


def main() -> None:
    marks = drawing()
    suggestions = rank(marks)
    print(f"{len(marks)} marks -> {len(suggestions)} suggestions, {RUNS} runs, seed {SEED}")
    for limit in (None, 10):
        samples = sorted(measure(marks, limit=limit))
        p99 = samples[int(len(samples) * 0.99) - 1]
        print(
            f"limit={limit!s:>4}: median {statistics.median(samples):7.1f} us, "
            f"p99 {p99:7.1f} us, max {samples[-1]:7.1f} us"
        )


if __name__ == "__main__":
    main()
