"""Interleaved timing: every case is measured once per round, rounds repeat.

Interleaving spreads slow drifts of the machine (frequency scaling, other
processes) over all cases alike, so their ratios stay fair. The figure of a
case is the median over rounds of the seconds per call.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable, Mapping

Case = Callable[[], object]


def calibrate(case: Case, budget: float) -> int:
    """Return how many calls of ``case`` take about ``budget`` seconds."""
    number = 1
    while True:
        start = time.perf_counter()
        for _ in range(number):
            case()
        elapsed = time.perf_counter() - start
        if elapsed >= budget / 4 or number >= 1_000_000:
            break
        number *= 2
    return max(1, round(number * budget / max(elapsed, 1e-9)))


def interleaved(
    cases: Mapping[str, Case], *, rounds: int, budget: float
) -> dict[str, float]:
    """Time each case ``rounds`` times, interleaved, and return median seconds.

    Each round runs every case for about ``budget`` seconds, in a rotating
    order so no case always runs first. Garbage collection stays enabled
    because building many objects pays for it in real use too; a collection
    runs before each measurement so no case inherits another's garbage.
    """
    names = list(cases)
    numbers = {name: calibrate(cases[name], budget) for name in names}
    samples: dict[str, list[float]] = {name: [] for name in names}
    for round_index in range(rounds):
        shift = round_index % len(names)
        for name in names[shift:] + names[:shift]:
            case = cases[name]
            number = numbers[name]
            gc.collect()
            start = time.perf_counter()
            for _ in range(number):
                case()
            samples[name].append((time.perf_counter() - start) / number)
    return {name: statistics.median(values) for name, values in samples.items()}
