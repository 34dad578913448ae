"""The performance table (``manage.py benchmark``), measured in one run.

Pages: Django's test Client in-process, each URL warmed up then timed ``runs`` times,
with the query count from ``CaptureQueriesContext``. CSV and load: a real gunicorn
(2 sync workers, DEBUG off, pooled connections) on 127.0.0.1; the CSV's rate is set
against psycopg 3's in-process ``cursor.copy()`` of the same query, and the worker's
memory growth is read from ``/proc/<pid>/status``. Loopback only, bounded in time.
"""

from __future__ import annotations

import datetime
import http.client
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, connections
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.http import urlencode
from rest_framework.settings import api_settings

from actors.models import Actor
from loadtest import synthetic
from statements import pagination
from statements.models import Stance, Statement, TaggedStatement
from tracker import gc_tuning

TARGETS = {
    "list_p95_ms": 25,
    "ranked_p95_ms": 150,
    "detail_p95_ms": 25,
    "admin_p95_ms": 100,
    "worst_filter_vs_unfiltered": 2.0,
    "csv_rows_per_s": 300_000,
    "csv_ratio_to_copy": 0.5,
    "csv_memory_growth_mb": 30,
    "jsonl_rows_per_s": 150_000,
    "jsonl_memory_growth_mb": 30,
    "zip_seconds": 60,
    "zip_memory_growth_mb": 30,
    "load_requests_per_s": 300,
    "load_p99_ms": 50,
    "sqlite_p95_ms": 50,
}
ADMIN_USERNAME = "benchmark-admin"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def ensure_dataset(n: int, log) -> tuple[int, float | None]:
    """The number of statements, and the seconds spent generating them (None when the
    database already held the synthetic data)."""
    seconds = None
    if not synthetic.synthetic_present():
        log(f"no synthetic data: generating {n:,} statements")
        start = time.perf_counter()
        synthetic.load(n, log=log)
        seconds = round(time.perf_counter() - start, 1)
    return Statement.objects.count(), seconds


def pick_parameters() -> dict:
    """Busy and rare things to ask for, found in the data (not assumed)."""
    public = Statement.objects.published()
    speaker = public.values("speaker__slug").annotate(n=Count("*")).order_by("-n").first()
    tags = list(TaggedStatement.objects.values("tag__slug").annotate(n=Count("*")).order_by("-n"))
    rare_tag = min((t for t in tags if t["n"] >= 20), key=lambda t: t["n"], default=tags[-1])
    claim = Stance.objects.values("claim").annotate(n=Count("*")).order_by("-n").first()
    latest = public.order_by("-said_on", "-id").values_list("said_on", flat=True).first()
    total = public.count()
    depth_rows = min(19_999 * settings.PAGE_SIZE, max(0, total - settings.PAGE_SIZE - 1))
    deep_key = public.order_by("-said_on", "-id").values_list("said_on", "id")[
        depth_rows : depth_rows + 1
    ][0]
    cursor = pagination.encode_cursor(
        {"s": ["-said_on", "-id"], "k": [deep_key[0].isoformat(), deep_key[1]], "d": "n"}
    )
    manifest = synthetic.SyntheticData(1, 1).manifest
    statement = public.order_by("-said_on", "-id").values_list("id", "source_id").first()
    country = (
        Actor.objects.filter(kind="state", children__isnull=False)
        .order_by("id")
        .values_list("slug", flat=True)
        .first()
    )
    return {
        "speaker": speaker["speaker__slug"],
        "speaker_name": busy_unique_name(public),
        "country": country,
        "speaker_statements": speaker["n"],
        "common_tag": tags[0]["tag__slug"],
        "common_tag_statements": tags[0]["n"],
        "rare_tag": rare_tag["tag__slug"],
        "rare_tag_statements": rare_tag["n"],
        "claim": claim["claim"],
        "claim_stances": claim["n"],
        "date_from": (latest - datetime.timedelta(days=30)).isoformat(),
        "date_to": latest.isoformat(),
        "speaker_date_from": (latest - datetime.timedelta(days=365)).isoformat(),
        "common_word": manifest.common_word,
        "rare_word": manifest.rare_word,
        "cursor": cursor,
        "depth_rows": depth_rows,
        "statement": statement[0],
        "source": statement[1],
        "published": total,
    }


def busy_unique_name(public) -> str:
    """The name of the busiest speaker no other actor shares (a shared name is a 400)."""
    busiest = public.values("speaker").annotate(n=Count("*")).order_by("-n")[:50]
    for row in busiest:
        name = Actor.objects.get(pk=row["speaker"]).name
        if Actor.objects.matching(name).count() == 1:
            return name
    return Actor.objects.get(pk=busiest[0]["speaker"]).slug


def page_urls(p: dict) -> dict[str, str]:
    def lst(**params) -> str:
        return "/statements/?" + urlencode(params) if params else "/statements/"

    return {
        "overview": "/",
        "statements": lst(),
        "by_speaker": lst(speaker=p["speaker"]),
        "statements_speaker_by_name": lst(speaker=p["speaker_name"]),
        "statements_within_country": lst(within=p["country"]),
        "by_common_tag": lst(tag=p["common_tag"]),
        "by_rare_tag": lst(tag=p["rare_tag"]),
        "by_date_range": lst(date_from=p["date_from"], date_to=p["date_to"]),
        "by_speaker_and_date": lst(speaker=p["speaker"], date_from=p["speaker_date_from"]),
        "q_common": lst(q=p["common_word"], sort="-said_on"),
        "q_rare": lst(q=p["rare_word"], sort="-said_on"),
        "ranked_q_common": lst(q=p["common_word"]),
        "ranked_q_rare": lst(q=p["rare_word"]),
        "depth_20000": lst(cursor=p["cursor"]),
        "tags": "/tags/",
        "detail_actor": f"/actors/{p['speaker']}/",
        "detail_claim": f"/claims/{p['claim']}/",
        "detail_tag": f"/tags/{p['common_tag']}/",
        "detail_statement": f"/statements/{p['statement']}/",
        "detail_source": f"/sources/{p['source']}/",
        # The JSON API (statements/api/): the same rows as the list pages above.
        "api_statements": "/api/v1/statements/",
        "api_by_speaker": "/api/v1/statements/?" + urlencode({"speaker": p["speaker"]}),
        "api_by_common_tag": "/api/v1/statements/?" + urlencode({"tag": p["common_tag"]}),
        "api_depth_20000": "/api/v1/statements/?" + urlencode({"cursor": p["cursor"]}),
        "detail_api_statement": f"/api/v1/statements/{p['statement']}/",
        "admin_statement_changelist": "/admin/statements/statement/",
        "admin_statement_search": "/admin/statements/statement/?"
        + urlencode({"q": p["common_word"]}),
    }


def time_page(client: Client, url: str, runs: int, warmup: int = 3, cold_runs: int = 5) -> dict:
    """Warm: the steady state of a page viewed again (its summaries and counts kept for
    the current data version). Cold: the first view after a write — the data version is
    raised before each of ``cold_runs`` requests, so every kept summary is recomputed."""
    from tracker import data_version as summaries

    status = None
    for _ in range(warmup):
        status = client.get(url).status_code
    times, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
            times.append((time.perf_counter() - start) * 1000)
        queries = len(captured.captured_queries)
        status = response.status_code
    cold = []
    for _ in range(cold_runs):
        summaries.bump()
        start = time.perf_counter()
        client.get(url)
        cold.append((time.perf_counter() - start) * 1000)
    return {
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(percentile(times, 0.95), 2),
        "queries": queries,
        "status": status,
        "cold_p50_ms": round(statistics.median(cold), 2) if cold else None,
        "cold_max_ms": round(max(cold), 2) if cold else None,
    }


def admin_client() -> Client:
    user_model = get_user_model()
    user = user_model.objects.filter(username=ADMIN_USERNAME).first()
    if user is None:
        user = user_model.objects.create_superuser(ADMIN_USERNAME, "bench@example.invalid", None)
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(user)
    return client


# -- gunicorn --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, workers: int = 2, page_cache: bool = True):
        self.port = free_port()
        env = dict(os.environ)
        env.update(
            DEBUG="0",
            PAGE_CACHE_SECONDS="600" if page_cache else "0",
            DB_POOL="1" if connection.vendor == "postgresql" else "0",
            # The same key as this process: the deep-page cursor is signed with it.
            SECRET_KEY=settings.SECRET_KEY,
            ALLOWED_HOSTS="127.0.0.1,localhost",
            SECURE_SSL_REDIRECT="0",
            STATIC_MANIFEST="0",
        )
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(
            [
                str(gunicorn),
                "tracker.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--timeout",
                "600",  # as ``make serve``: a 10M bundle streams for minutes
                "--log-level",
                "warning",
            ],
            cwd=settings.BASE_DIR,
            env=env,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if self.get("/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            self.stop()
            raise RuntimeError("gunicorn did not answer /healthz within 60 s")

    def get(self, path: str, sink: bool = False):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            rows = size = 0
            if sink:
                while chunk := response.read(256 * 1024):
                    size += len(chunk)
                    rows += chunk.count(b"\n")
                return response.status, rows, size
            response.read()
            return response.status, 0, 0
        finally:
            conn.close()

    def worker_pids(self) -> list[int]:
        out = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True
        ).stdout
        return [int(pid) for pid in out.split()]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def measure_download(server: Server, path: str, header_lines: int = 0) -> dict:
    """One whole download over HTTP: its time, size, rows (lines less the header) and
    the largest growth of a worker's resident memory while it ran."""
    for _ in range(4):  # warm every worker so its baseline includes imports and the pool
        server.get("/statements/")
    pids = server.worker_pids()
    before = {pid: rss_mb(pid) for pid in pids}
    start = time.perf_counter()
    status, lines, size = server.get(path, sink=True)
    seconds = time.perf_counter() - start
    after = {pid: rss_mb(pid) for pid in pids}
    rows = lines - header_lines
    return {
        "status": status,
        "rows": rows,
        "bytes": size,
        "seconds": round(seconds, 2),
        "rows_per_s": round(rows / seconds),
        "memory_growth_mb": round(max(after[p] - before[p] for p in pids), 1),
    }


def measure_jsonl(server: Server) -> dict:
    return measure_download(server, "/statements.jsonl")


def measure_zip(server: Server) -> dict:
    """``/data/everything.zip``: seconds, bytes and memory (its rows are compressed)."""
    result = measure_download(server, "/data/everything.zip")
    return {k: result[k] for k in ("status", "bytes", "seconds", "memory_growth_mb")}


def measure_csv(server: Server) -> dict:
    result = {
        **measure_download(server, "/statements.csv", header_lines=1),
        "copy_rows_per_s": None,
        "ratio_to_copy": None,
    }
    if connection.vendor == "postgresql":
        from django.contrib.auth.models import AnonymousUser
        from django.test import RequestFactory

        from statements.csv import copy as csv_copy
        from statements.views.lists import statement_spec

        request = RequestFactory().get("/statements.csv")
        request.user = AnonymousUser()
        spec = statement_spec(request)
        assert spec.filterset.is_valid()
        sql, params = csv_copy.copy_sql(
            spec.filterset.qs.order_by("-said_on", "-id"), "http://127.0.0.1"
        )
        start = time.perf_counter()
        copied = 0
        with connection.cursor() as cursor, cursor.cursor.copy(sql, params) as copy:
            for chunk in copy:
                copied += bytes(chunk).count(b"\n")
        copy_seconds = time.perf_counter() - start
        result["copy_rows_per_s"] = round(copied / copy_seconds)
        result["ratio_to_copy"] = round(result["rows_per_s"] / result["copy_rows_per_s"], 2)
    return result


def attempt(measure, server: Server) -> dict:
    """``measure(server)``, or ``{"error": ...}`` when the download broke off (a worker
    timed out, say): the run goes on and reports it."""
    try:
        return measure(server)
    except (OSError, http.client.HTTPException) as exc:
        return {"error": f"{type(exc).__name__}: {exc}"[:300]}


def measure_load(server: Server, urls: list[str], clients: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def run(offset: int) -> None:
        i = offset
        mine: list[float] = []
        failed = 0
        while time.perf_counter() < stop_at:
            start = time.perf_counter()
            try:
                status, _, _ = server.get(urls[i % len(urls)])
                if status != 200:
                    failed += 1
            except OSError:
                failed += 1
            mine.append((time.perf_counter() - start) * 1000)
            i += 1
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    threads = [threading.Thread(target=run, args=(k,)) for k in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": len(latencies),
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 0.5), 1) if latencies else None,
        "p99_ms": round(percentile(latencies, 0.99), 1) if latencies else None,
        "errors": errors[0],
    }


def machine() -> dict:
    memory = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory = round(int(line.split()[1]) / 1024 / 1024, 1)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        version = cursor.fetchone()[0]
    return {
        "nproc": os.cpu_count(),
        "memory_gb": memory,
        "database_version": version,
        "python": platform.python_version(),
        "date": datetime.datetime.now(tz=datetime.UTC).isoformat(timespec="seconds"),
        "load_average_at_start": os.getloadavg(),
    }


def judge(result: dict) -> dict:
    pages = result["pages"]
    pg = result["database"] == "postgresql"
    verdict: dict[str, bool | None] = {}
    for name, page in pages.items():
        if pg:
            limit = (
                TARGETS["admin_p95_ms"]
                if name.startswith("admin_")
                else TARGETS["ranked_p95_ms"]
                if name.startswith("ranked_")
                else TARGETS["detail_p95_ms"]
                if name.startswith("detail_")
                else TARGETS["list_p95_ms"]
            )
        elif name.startswith("admin_"):
            continue  # the SQLite target covers list and detail pages only
        else:
            limit = TARGETS["sqlite_p95_ms"]
        verdict[f"{name}_p95"] = page["p95_ms"] <= limit
    if not pg:  # the other targets are PostgreSQL's (the scale issue)
        return verdict
    filters = [p["p95_ms"] for n, p in pages.items() if n.startswith(("by_", "q_", "depth"))]
    if filters and "statements" in pages:
        verdict["worst_filter_vs_unfiltered"] = (
            max(filters) <= TARGETS["worst_filter_vs_unfiltered"] * pages["statements"]["p95_ms"]
        )
    for key in ("csv", "jsonl", "everything_zip"):
        if "error" in (result.get(key) or {}):
            verdict[f"{key}_completed"] = False
    csv_result = result.get("csv") or {}
    if csv_result and "error" not in csv_result:
        verdict["csv_rows_per_s"] = csv_result["rows_per_s"] >= TARGETS["csv_rows_per_s"]
        verdict["csv_memory_growth_mb"] = (
            csv_result["memory_growth_mb"] <= TARGETS["csv_memory_growth_mb"]
        )
        if csv_result.get("ratio_to_copy") is not None:
            verdict["csv_ratio_to_copy"] = (
                csv_result["ratio_to_copy"] >= TARGETS["csv_ratio_to_copy"]
            )
    jsonl = result.get("jsonl") or {}
    if jsonl and "error" not in jsonl:
        verdict["jsonl_rows_per_s"] = jsonl["rows_per_s"] >= TARGETS["jsonl_rows_per_s"]
        verdict["jsonl_memory_growth_mb"] = (
            jsonl["memory_growth_mb"] <= TARGETS["jsonl_memory_growth_mb"]
        )
    bundle = result.get("everything_zip") or {}
    if bundle and "error" not in bundle:
        verdict["zip_seconds"] = bundle["seconds"] <= TARGETS["zip_seconds"]
        verdict["zip_memory_growth_mb"] = (
            bundle["memory_growth_mb"] <= TARGETS["zip_memory_growth_mb"]
        )
    load = result.get("load") or {}
    if load:
        verdict["load_requests_per_s"] = load["requests_per_s"] >= TARGETS["load_requests_per_s"]
        verdict["load_p99_ms"] = (load["p99_ms"] or 1e9) <= TARGETS["load_p99_ms"]
        verdict["load_errors"] = load["errors"] == 0
    return verdict


def run(
    n: int, *, runs: int = 30, load_seconds: float = 30, only: list[str] | None = None, log=print
) -> dict:
    total, generated_seconds = ensure_dataset(n, log)
    params = pick_parameters()
    log(
        f"{total:,} statements; parameters: "
        + ", ".join(f"{k}={v}" for k, v in params.items() if k != "cursor")
    )
    urls = page_urls(params)
    settings.DEBUG = False  # as served: no query log, no template debug
    gc_tuning.apply()  # as served: tracker/wsgi.py applies the same collector settings
    # Pages are timed as rendered: the whole-page cache for anonymous readers would
    # answer every repeat. The load test below runs with it (as served) and without.
    settings.PAGE_CACHE_SECONDS = 0
    # The API's anonymous rate limit still runs (its cost is timed) but never answers 429.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1000000/min", "user": "1000000/min"},
    }
    api_settings.reload()
    public, admin = Client(SERVER_NAME="127.0.0.1"), admin_client()
    pages = {}
    for name, url in urls.items():
        if only and name not in only:
            continue
        client = admin if name.startswith("admin_") else public
        pages[name] = time_page(client, url, runs)
        log(
            f"  {name:32} p50 {pages[name]['p50_ms']:8.2f}  p95 {pages[name]['p95_ms']:8.2f}"
            f"  queries {pages[name]['queries']:3}  status {pages[name]['status']}"
            f"  after a write p50 {pages[name]['cold_p50_ms']:8.2f}"
        )
    result = {
        "database": connection.vendor,
        "statements": total,
        "load_seconds": generated_seconds,
        "pages": pages,
        "parameters": {k: v for k, v in params.items() if k != "cursor"},
        "machine": machine(),
        "targets": TARGETS,
    }
    connections.close_all()
    load_urls = [
        urls[k]
        for k in (
            "statements",
            "by_speaker",
            "by_common_tag",
            "by_rare_tag",
            "by_date_range",
            "depth_20000",
        )
    ]
    server = Server(workers=2)
    try:
        for key, measure in [("csv", measure_csv), ("jsonl", measure_jsonl)]:
            result[key] = attempt(measure, server)
            log(f"  {key}: {result[key]}")
        result["everything_zip"] = attempt(measure_zip, server)
        log(f"  everything.zip: {result['everything_zip']}")
        result["load"] = measure_load(server, load_urls, clients=8, seconds=load_seconds)
        log(f"  load (as served, anonymous pages kept per data version): {result['load']}")
    finally:
        server.stop()
    server = Server(workers=2, page_cache=False)
    try:
        result["load_rendering"] = measure_load(server, load_urls, clients=8, seconds=load_seconds)
        log(f"  load (page cache off, every request rendered): {result['load_rendering']}")
    finally:
        server.stop()
    result["pass"] = judge(result)
    return result


def table(result: dict) -> str:
    lines = [
        f"Database: {result['database']} ({result['machine']['database_version']}), "
        f"{result['statements']:,} statements; machine: {result['machine']['nproc']} CPUs, "
        f"{result['machine']['memory_gb']} GB, load average at start "
        f"{', '.join(f'{x:.1f}' for x in result['machine']['load_average_at_start'])}; "
        f"{result['machine']['date']}",
        "",
        "| page | p50 ms | p95 ms | queries | target met | after a write: p50 / max ms |",
        "| --- | ---: | ---: | ---: | :---: | ---: |",
    ]
    for name, page in result["pages"].items():
        ok = result["pass"].get(f"{name}_p95")
        lines.append(
            f"| {name} | {page['p50_ms']} | {page['p95_ms']} | {page['queries']} | "
            f"{'yes' if ok else 'no'} | {page.get('cold_p50_ms')} / {page.get('cold_max_ms')} |"
        )
    csv_result, load = result.get("csv"), result.get("load")
    broken = [
        key for key in ("csv", "jsonl", "everything_zip") if "error" in (result.get(key) or {})
    ]
    if broken:
        lines += [""] + [f"{key}: broke off ({result[key]['error']})" for key in broken]
    if csv_result and "csv" not in broken:
        lines += [
            "",
            "| CSV (full export over HTTP) | value |",
            "| --- | ---: |",
            f"| rows | {csv_result['rows']:,} |",
            f"| rows/s (gunicorn, end to end) | {csv_result['rows_per_s']:,} |",
            f"| rows/s (in-process COPY) | {csv_result['copy_rows_per_s'] or '—'} |",
            f"| ratio to COPY | {csv_result['ratio_to_copy'] or '—'} |",
            f"| worker memory growth MB | {csv_result['memory_growth_mb']} |",
        ]
    jsonl, bundle = result.get("jsonl"), result.get("everything_zip")
    jsonl = None if "jsonl" in broken else jsonl
    bundle = None if "everything_zip" in broken else bundle
    if jsonl or bundle:
        lines += ["", "| other downloads over HTTP | value |", "| --- | ---: |"]
    if jsonl:
        lines += [
            f"| JSON Lines rows | {jsonl['rows']:,} |",
            f"| JSON Lines rows/s (gunicorn, end to end) | {jsonl['rows_per_s']:,} |",
            f"| JSON Lines worker memory growth MB | {jsonl['memory_growth_mb']} |",
        ]
    if bundle:
        lines += [
            f"| everything.zip seconds | {bundle['seconds']} |",
            f"| everything.zip MB | {bundle['bytes'] / 1e6:,.1f} |",
            f"| everything.zip worker memory growth MB | {bundle['memory_growth_mb']} |",
        ]
    rendering = result.get("load_rendering")
    if load:
        lines += [
            "",
            f"| load ({load['clients']} clients, {load['seconds']} s) | as served "
            "| page cache off |",
            "| --- | ---: | ---: |",
        ]
        for key, label in [
            ("requests_per_s", "requests/s"),
            ("p50_ms", "p50 ms"),
            ("p99_ms", "p99 ms"),
            ("errors", "errors"),
        ]:
            lines.append(f"| {label} | {load[key]} | {(rendering or {}).get(key, '—')} |")
    failed = [k for k, v in result["pass"].items() if v is False]
    lines += ["", "Targets missed: " + (", ".join(failed) if failed else "none")]
    return "\n".join(lines)


def _ratio(small, large) -> str:
    if not small or large is None:
        return "—"
    return f"{large / small:.2f}"


def ratio_table(small: dict, large: dict) -> str:
    """Two runs of ``run`` side by side (say 1M and 10M statements): each page's p95 and
    first view after a write, the rendered load, the CSV and the load time, with the
    ratio of the larger run to the smaller."""
    a, b = f"{small['statements']:,}", f"{large['statements']:,}"
    lines = [
        f"| page | p95 ms at {a} | p95 ms at {b} | ratio | after a write p50 ms at {a} "
        f"| at {b} | ratio |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, page in small["pages"].items():
        other = large["pages"].get(name)
        if other is None:
            continue
        lines.append(
            f"| {name} | {page['p95_ms']} | {other['p95_ms']} | "
            f"{_ratio(page['p95_ms'], other['p95_ms'])} | {page.get('cold_p50_ms')} | "
            f"{other.get('cold_p50_ms')} | "
            f"{_ratio(page.get('cold_p50_ms'), other.get('cold_p50_ms'))} |"
        )
    lines += ["", f"| measure | at {a} | at {b} | ratio |", "| --- | ---: | ---: | ---: |"]
    measures = [
        ("requests/s, 8 clients, page cache off", ("load_rendering", "requests_per_s")),
        ("p99 ms, page cache off", ("load_rendering", "p99_ms")),
        ("requests/s as served", ("load", "requests_per_s")),
        ("CSV rows/s", ("csv", "rows_per_s")),
        ("CSV ratio to COPY", ("csv", "ratio_to_copy")),
        ("JSON Lines rows/s", ("jsonl", "rows_per_s")),
        ("everything.zip seconds", ("everything_zip", "seconds")),
    ]
    for label, (part, key) in measures:
        x, y = (small.get(part) or {}).get(key), (large.get(part) or {}).get(key)
        lines.append(
            f"| {label} | {x if x is not None else '—'} | "
            f"{y if y is not None else '—'} | {_ratio(x, y)} |"
        )
    x, y = small.get("load_seconds"), large.get("load_seconds")
    lines.append(f"| load seconds | {x or '—'} | {y or '—'} | {_ratio(x, y)} |")
    return "\n".join(lines)
