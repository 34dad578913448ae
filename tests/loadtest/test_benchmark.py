"""The benchmark's page timer: warm runs, then cold runs each after a raised data version."""

from __future__ import annotations

import pytest

from loadtest import benchmark
from tracker.data_version import current_version

pytestmark = pytest.mark.django_db


def test_benchmark_times_pages_warm_and_after_a_write(client, make):
    source = make.source()
    speaker = make.actor()
    for _ in range(3):
        make.statement(source=source, speaker=speaker)
    before = current_version()
    timed = benchmark.time_page(client, "/", runs=2, warmup=1, cold_runs=2)
    assert timed["status"] == 200 and timed["queries"] > 0
    assert timed["cold_p50_ms"] > 0 and timed["cold_max_ms"] >= timed["cold_p50_ms"]
    assert current_version() != before  # each cold request followed a raised version
