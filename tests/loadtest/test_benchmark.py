"""The benchmark's page timer (warm runs, then cold runs each after a raised data version)
and its table comparing two sizes."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

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


def _run(statements: int, overview_p95: float, cold: float, rendered: float, load=None) -> dict:
    return {
        "statements": statements,
        "load_seconds": load,
        "pages": {
            "overview": {"p95_ms": overview_p95, "cold_p50_ms": cold},
            "only_here": {"p95_ms": 1.0, "cold_p50_ms": 1.0},
        },
        "load_rendering": {"requests_per_s": rendered, "p99_ms": 50},
    }


def test_ratio_table_sets_two_sizes_side_by_side():
    table = benchmark.ratio_table(
        _run(1_000_000, 20.0, 40.0, 200, load=77), _run(10_000_000, 25.0, 100.0, 100, load=888)
    )
    assert "| overview | 20.0 | 25.0 | 1.25 | 40.0 | 100.0 | 2.50 |" in table
    assert "| requests/s, 8 clients, page cache off | 200 | 100 | 0.50 |" in table
    assert "| load seconds | 77 | 888 | 11.53 |" in table
    assert "| CSV rows/s | — | — | — |" in table  # neither run measured it


def test_benchmark_compare_prints_the_ratio_table_or_one_line_error(tmp_path):
    small, large = tmp_path / "1m.json", tmp_path / "10m.json"
    small.write_text(json.dumps(_run(1_000_000, 20.0, 40.0, 200)))
    large.write_text(json.dumps(_run(10_000_000, 30.0, 60.0, 150)))
    out = StringIO()
    call_command("benchmark", "--compare", str(small), str(large), stdout=out)
    assert "| overview | 20.0 | 30.0 | 1.50 |" in out.getvalue()
    (tmp_path / "bad.json").write_text("[]")
    with pytest.raises(CommandError, match="is not a benchmark --json file"):
        call_command("benchmark", "--compare", str(small), str(tmp_path / "bad.json"))


def test_a_download_that_broke_off_is_reported_not_fatal():
    class Broken:
        pass

    def measure(server):
        raise ConnectionResetError("worker timed out")

    failed = benchmark.attempt(measure, Broken())
    assert failed == {"error": "ConnectionResetError: worker timed out"}
    result = {
        "database": "postgresql",
        "statements": 10,
        "pages": {},
        "machine": {"database_version": "15", "nproc": 2, "memory_gb": 1, "date": "today"}
        | {"load_average_at_start": (0.0, 0.0, 0.0)},
        "csv": {"rows": 10, "rows_per_s": 400_000, "copy_rows_per_s": 400_000}
        | {"ratio_to_copy": 1.0, "memory_growth_mb": 1.0},
        "everything_zip": failed,
    }
    result["pass"] = benchmark.judge(result)
    assert result["pass"]["everything_zip_completed"] is False
    assert result["pass"]["csv_rows_per_s"] is True
    table = benchmark.table(result)
    assert "everything_zip: broke off (ConnectionResetError: worker timed out)" in table
    assert "everything_zip_completed" in table.splitlines()[-1]  # among the targets missed
