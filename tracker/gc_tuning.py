"""Garbage-collector settings for serving processes (the WSGI entry point applies them).

A page allocates tens of thousands of short-lived objects; with CPython's default
thresholds (700, 10, 10) a full collection walks every object the process holds — all
of Django, the URL resolvers, compiled templates — every few requests, and that
request takes markedly longer: it shows in the slow tail (p95), not the median
(figures: docs/benchmark.md). ``gc.freeze()`` moves what exists after start-up out of
the collector's sight, and a larger first threshold makes collections rarer; reference
counting still frees everything that is not a cycle.
"""

from __future__ import annotations

import gc

THRESHOLDS = (50_000, 20, 100)


def apply() -> None:
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
