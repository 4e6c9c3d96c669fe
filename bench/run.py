#!/usr/bin/env python
"""`make bench`: the store under load, against its own floor, in one run.

Starts gunicorn (2 sync workers, production settings) on PostgreSQL and Redis
with the demo catalogue, then drives each target for a fixed time at
concurrency 8: wrk for single requests, locust for the whole guest order. The
floor is /livez, a view that returns "ok" through the same stack (no database
or cache: /healthz checks both and is no floor). Writes
bench/results/latest.{md,json} and prints PASS or FAIL for each budget.

With BENCH_DRUGS=N (e.g. 1000), it then adds N generated drugs
(generate_catalogue) and measures the catalogue, two product pages and search
again, reported beside the one-drug figures. BENCH_DB and BENCH_REDIS choose
the database and Redis (use your own when others share the machine).
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PY = sys.executable
DURATION = int(os.environ.get("BENCH_SECONDS", "15"))
CONCURRENCY = 8
DB_NAME = os.environ.get("BENCH_DB", "pharmacy_bench")
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/5")
PRODUCT = "/catalogue/baclofen_1/"
SEARCH = "/search/?q=baclofen"
DRUGS = int(os.environ.get("BENCH_DRUGS", "0"))

BUDGETS = [
    ("product page >= 0.4 x floor", lambda r: r["targets"]["product"]["ratio"] >= 0.4),
    ("catalogue >= 0.3 x floor", lambda r: r["targets"]["catalogue"]["ratio"] >= 0.3),
    (
        "guest orders >= 8 a second (locust)",
        lambda r: r["targets"]["guest order (locust)"]["rps"] >= 8,
    ),
    (
        "product page <= 10 queries, cold cache",
        lambda r: r["inprocess"]["queries_per_page_cold_cache"]["product"] <= 10,
    ),
    (
        "guest order <= 80 queries",
        lambda r: r["inprocess"]["queries_per_guest_order"] <= 80,
    ),
    (
        "guest order median <= 150 ms in process",
        lambda r: r["inprocess"]["guest_order_ms_median"] <= 150,
    ),
]
SEARCH_BUDGET = (
    "search median <= 30 ms in process",
    lambda r: (r["inprocess"].get("search_ms_median") or 0) <= 30,
)
MANY_BUDGETS = [
    (
        f"{DRUGS} drugs: catalogue <= 10 queries, cold cache",
        lambda r: (
            r["many"]["inprocess"]["queries_per_page_cold_cache"]["catalogue"] <= 10
        ),
    ),
    (
        f"{DRUGS} drugs: product page costs what it costs with one drug",
        lambda r: (
            r["many"]["inprocess"]["queries_per_page_cold_cache"]["product"]
            == r["inprocess"]["queries_per_page_cold_cache"]["product"]
        ),
    ),
    (
        f"{DRUGS} drugs: search median <= 30 ms in process",
        lambda r: (r["many"]["inprocess"].get("search_ms_median") or 0) <= 30,
    ),
]


def env(port: int | None = None) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pharmacy.settings.prod",
        "DATABASE_URL": f"{PG}/{DB_NAME}",
        "REDIS_URL": REDIS,
        "SECRET_KEY": "bench-only-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "SERVE_MEDIA": "1",
        "MEDIA_ROOT": str(ROOT / "bench" / ".media"),
        "PRIVATE_MEDIA_ROOT": str(ROOT / "bench" / ".private"),
        "LOG_LEVEL": "ERROR",
        # Emails are built, as in production, but not delivered: delivery time
        # belongs to the mail server, not to the store.
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }


def sh(*args: str, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, check=check, cwd=ROOT, **kwargs)


def prepare() -> None:
    if not shutil.which("wrk"):
        sh("apt-get", "install", "-y", "-qq", "wrk")
    sh("psql", PG + "/postgres", "-q", "-c", f"DROP DATABASE IF EXISTS {DB_NAME}")
    sh("psql", PG + "/postgres", "-q", "-c", f"CREATE DATABASE {DB_NAME}")
    sh("redis-cli", "-u", REDIS, "flushdb", stdout=subprocess.DEVNULL)
    for media in (".media", ".private"):
        shutil.rmtree(ROOT / "bench" / media, ignore_errors=True)
    for command in (
        ["migrate", "--noinput", "-v0"],
        ["load_catalog"],
        ["collectstatic", "--noinput", "-v0"],
    ):
        sh(PY, "manage.py", *command, env=env(), stdout=subprocess.DEVNULL)
    # Plenty of stock so a long run never sells out.
    sh(
        PY,
        "manage.py",
        "shell",
        "-c",
        "from catalog.partner.models import StockRecord;"
        "StockRecord.objects.update(num_in_stock=10**6)",
        env=env(),
        stdout=subprocess.DEVNULL,
    )
    # Planner statistics for the freshly loaded tables, as autovacuum would
    # gather in time (it may be off on a benchmark server).
    sh("psql", f"{PG}/{DB_NAME}", "-q", "-c", "ANALYZE")


def manage(*args: str, capture: bool = False) -> str:
    out = sh(
        PY,
        "manage.py",
        *args,
        env=env(),
        stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
        text=True,
    )
    return out.stdout.strip() if capture else ""


def many_drugs(base: str) -> dict:
    """Add DRUGS generated drugs to the running shop and measure the
    catalogue side again: list pages, two product pages, search."""
    manage("generate_catalogue", "--drugs", str(DRUGS))
    other = manage(
        "shell",
        "-c",
        "from catalog.models import Product;"
        f"print(Product.objects.get(upc='SYN{DRUGS // 2:06d}').get_absolute_url())",
        capture=True,
    ).splitlines()[-1]
    paths = {
        "catalogue": "/catalogue/",
        "catalogue, page 20": "/catalogue/?page=20",
        "product": PRODUCT,
        "product (a generated drug)": other,
    }
    if has_search(base):
        paths["search"] = SEARCH
    for path in paths.values():
        urllib.request.urlopen(base + path).read()
    targets = {name: wrk(base + path) for name, path in paths.items()}
    inprocess = json.loads(
        sh(
            PY,
            "bench/inprocess.py",
            PRODUCT,
            "--catalogue",
            other,
            env=env(),
            capture_output=True,
            text=True,
        ).stdout.splitlines()[-1]
    )
    return {"drugs": DRUGS, "targets": targets, "inprocess": inprocess}


def has_search(base: str) -> bool:
    try:
        return urllib.request.urlopen(base + SEARCH).status == 200
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(port: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [
            str(Path(PY).parent / "gunicorn"),
            "pharmacy.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env(),
        stderr=open(RESULTS / "gunicorn.log", "w"),
        start_new_session=True,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return proc
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start; see bench/results/gunicorn.log")


def wrk(url: str, script: str | None = None, extra_env: dict | None = None) -> dict:
    args = ["wrk", "-t2", f"-c{CONCURRENCY}", f"-d{DURATION}s", "--latency", url]
    if script:
        args[1:1] = ["-s", script]
    out = sh(
        *args, capture_output=True, text=True, env={**os.environ, **(extra_env or {})}
    ).stdout

    def latency(pct: str) -> float:
        value, unit = re.search(rf"\s{pct}%\s+([\d.]+)(us|ms|s)", out).groups()
        return round(float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit], 2)

    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    socket_errors = re.search(r"Socket errors: (.*)", out)
    if socket_errors:
        errors += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1)))
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "errors": errors,
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
    }


def add_to_basket_env(base: str) -> dict:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    with opener.open(base + PRODUCT) as page:
        html = page.read().decode()
        cookie = page.headers.get_all("Set-Cookie")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    csrf = next(c.split(";")[0] for c in cookie if c.startswith("csrftoken="))
    return {
        "BENCH_BODY": f"csrfmiddlewaretoken={token}&strength=10&pack=30&quantity=1",
        "BENCH_COOKIE": csrf,
        "BENCH_REFERER": base + PRODUCT,
    }


def locust_checkout(base: str) -> dict:
    prefix = RESULTS / "locust"
    sh(
        str(Path(PY).parent / "locust"),
        "-f",
        "bench/locustfile.py",
        "--headless",
        "-u",
        str(CONCURRENCY),
        "-r",
        str(CONCURRENCY),
        "-t",
        f"{DURATION}s",
        "--host",
        base,
        "--csv",
        str(prefix),
        "--only-summary",
        "--product-path",
        PRODUCT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    rows = (prefix.with_name("locust_stats.csv")).read_text().splitlines()
    header = rows[0].split(",")
    stats = {
        r.split(",")[1]: dict(zip(header, r.split(","), strict=False)) for r in rows[1:]
    }
    empty = {"Requests/s": 0, "50%": 0, "99%": 0, "Request Count": 0}
    placed = stats.get("checkout: place order", empty)
    total = stats["Aggregated"]
    count = int(placed["Request Count"])
    failed = int(placed.get("Failure Count", 0))
    return {
        # Completed orders only: a place-order request that failed is no order.
        "rps": round(float(placed["Requests/s"]) * (count - failed) / count, 2)
        if count
        else 0.0,
        "p50_ms": float(placed["50%"]),
        "p99_ms": float(placed["99%"]),
        "errors": int(total["Failure Count"]),
        "requests": int(placed["Request Count"]),
        "note": "completed guest orders per second; p50/p99 of the place-order request",
        "all_requests_rps": round(float(total["Requests/s"]), 2),
    }


def markdown(report: dict) -> str:
    lines = [
        f"Benchmark of {report['when']} (`{report['command']}`): gunicorn, 2 sync workers, "
        f"production settings, PostgreSQL + Redis, {DURATION} s per target, concurrency "
        f"{CONCURRENCY}.",
        "",
        "| target | req/s | p50 ms | p99 ms | errors | x floor |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, t in report["targets"].items():
        lines.append(
            f"| {name} | {t['rps']:.1f} | {t['p50_ms']} | {t['p99_ms']} | "
            f"{t['errors']} | {t['ratio']:.2f} |"
        )
    ip = report["inprocess"]
    lines += ["", "| in process | value |", "| --- | ---: |"]
    for page, n in ip["queries_per_page_cold_cache"].items():
        lines.append(f"| queries, {page} (cold cache) | {n} |")
    lines.append(f"| queries per guest order | {ip['queries_per_guest_order']} |")
    if "queries_per_guest_order_cold_cache" in ip:
        lines.append(
            "| queries, first guest order after emptying the caches | "
            f"{ip['queries_per_guest_order_cold_cache']} |"
        )
    lines.append(f"| guest order, median of 20 | {ip['guest_order_ms_median']} ms |")
    if ip.get("search_ms_median") is not None:
        lines.append(f"| search, median | {ip['search_ms_median']} ms |")
    many = report.get("many")
    if many:
        lines += [
            "",
            f"With {many['drugs']} generated drugs added (same run, same floor):",
            "",
            "| target | req/s | p50 ms | p99 ms | errors | x floor |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for name, t in many["targets"].items():
            lines.append(
                f"| {name} | {t['rps']:.1f} | {t['p50_ms']} | {t['p99_ms']} | "
                f"{t['errors']} | {t['ratio']:.2f} |"
            )
        mip = many["inprocess"]
        lines += ["", "| in process | one drug | many drugs |", "| --- | ---: | ---: |"]
        for page, n in mip["queries_per_page_cold_cache"].items():
            one = ip["queries_per_page_cold_cache"].get(page, "")
            lines.append(f"| queries, {page} (cold cache) | {one} | {n} |")
        if mip.get("search_ms_median") is not None:
            lines.append(
                f"| search, median | {ip.get('search_ms_median')} ms | "
                f"{mip['search_ms_median']} ms |"
            )
    lines += ["", "| budget | result |", "| --- | --- |"]
    lines += [f"| {name} | {result} |" for name, result in report["budgets"].items()]
    return "\n".join(lines) + "\n"


def inprocess_figures() -> dict:
    return json.loads(
        sh(
            PY, "bench/inprocess.py", PRODUCT, env=env(), capture_output=True, text=True
        ).stdout.splitlines()[-1]
    )


def main() -> int:
    RESULTS.mkdir(parents=True, exist_ok=True)
    prepare()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(port)
    try:
        for path in ("/", "/catalogue/", PRODUCT):  # thumbnails and caches, once
            urllib.request.urlopen(base + path).read()
        targets = {
            "floor (/livez)": wrk(base + "/livez"),
            "home": wrk(base + "/"),
            "catalogue": wrk(base + "/catalogue/"),
            "product": wrk(base + PRODUCT),
            "add to basket (POST)": wrk(
                base + PRODUCT + "add/", "bench/post.lua", add_to_basket_env(base)
            ),
            "guest order (locust)": locust_checkout(base),
        }
        if has_search(base):
            targets["search"] = wrk(base + SEARCH)
        inprocess = inprocess_figures()
        many = many_drugs(base) if DRUGS else None
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    floor = targets["floor (/livez)"]["rps"]
    for t in [*targets.values(), *(many["targets"].values() if many else [])]:
        t["ratio"] = round(t["rps"] / floor, 3) if floor else 0.0
    report = {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": "make bench",
        "duration_s": DURATION,
        "concurrency": CONCURRENCY,
        "targets": targets,
        "inprocess": inprocess,
        "many": many,
    }
    budgets = list(BUDGETS)
    if inprocess.get("search_ms_median") is not None:
        budgets.append(SEARCH_BUDGET)
    if many:
        budgets += MANY_BUDGETS[:2]
        if many["inprocess"].get("search_ms_median") is not None:
            budgets.append(MANY_BUDGETS[2])
    report["budgets"] = {
        name: "PASS" if check(report) else "FAIL" for name, check in budgets
    }
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2) + "\n")
    text = markdown(report)
    (RESULTS / "latest.md").write_text(text)
    print(text)
    return 0 if all(v == "PASS" for v in report["budgets"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
