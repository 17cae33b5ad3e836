"""Time ``taut.clinical.atlas.rank`` on a deterministic 40-mark pain drawing.

Aim (issue 13): a median of at most 50 us for the 40 marks, the whole ranking (no limit).
Also prints the limits the pages pass (12 on the finder, 8 on the exam page) for reference.
Exits non-zero when the median of the whole ranking is above the aim.

Run: .venv/bin/python benchmarks/bench_rank.py [--runs N] [--aim-us US]
"""

import argparse
import random
import statistics
import sys
import time

from taut.clinical.atlas import REGIONS, rank

SEED = 2026
MARKS = 40
RUNS = 20_000
AIM_US = 50.0
LIMITS = (None, 12, 8)  # the whole ranking (the aim), then the finder's and the exam page's


def drawing(seed: int = SEED, size: int = MARKS) -> list[tuple]:
    """``size`` distinct marks on random regions and sides, intensities 0-10."""
    rng = random.Random(seed)
    places = [
        (region.id, side)
        for region in REGIONS.values()
        for side in ((None,) if region.midline else ("left", "right"))
    ]
    return [(region_id, side, rng.randint(0, 10)) for region_id, side in rng.sample(places, size)]


def measure(marks: list[tuple], *, limit: int | None = None, runs: int = RUNS) -> list[float]:
    """Microseconds per call, one sample per call."""
    for _ in range(500):  # warm up
        rank(marks, limit=limit)
    samples = []
    for _ in range(runs):
        start = time.perf_counter_ns()
        rank(marks, limit=limit)
        samples.append((time.perf_counter_ns() - start) / 1000)
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--aim-us", type=float, default=AIM_US)
    args = parser.parse_args()
    marks = drawing()
    suggestions = rank(marks)
    print(f"{len(marks)} marks -> {len(suggestions)} suggestions, {args.runs} runs, seed {SEED}")
    medians = {}
    for limit in LIMITS:
        samples = sorted(measure(marks, limit=limit, runs=args.runs))
        medians[limit] = statistics.median(samples)
        p99 = samples[int(len(samples) * 0.99) - 1]
        print(
            f"limit={limit!s:>4}: median {medians[limit]:7.1f} us, "
            f"p99 {p99:7.1f} us, max {samples[-1]:7.1f} us"
        )
    median = medians[None]
    verdict = "meets" if median <= args.aim_us else "MISSES"
    print(
        f"{MARKS} marks, whole ranking: median {median:.1f} us {verdict} the aim of {args.aim_us:g} us"
    )
    return 0 if median <= args.aim_us else 1


if __name__ == "__main__":
    sys.exit(main())
