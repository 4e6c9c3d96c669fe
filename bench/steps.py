"""Where a guest order's time goes: the locust journey replayed in process,
each POST following its redirect as a browser (and locust) does, with the
median wall time, CPU time and queries of every request.

    DJANGO_SETTINGS_MODULE=pharmacy.settings.prod DATABASE_URL=... \\
        REDIS_URL=... .venv/bin/python bench/steps.py [ORDERS]

Run it against the benchmark's database after `make bench` (bench/run.py's
env() lists the settings). Prints a table; the first orders warm the caches
and are not counted."""

import collections
import statistics
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent))
django.setup()

import inprocess  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

WARM_ORDERS = 3


class TimedClient(Client):
    """Records each request's wall time, CPU time and queries."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timings = collections.defaultdict(list)

    def request(self, **request):
        start, cpu = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as ctx:
            response = super().request(**request)
        self.timings[(request["REQUEST_METHOD"], request["PATH_INFO"])].append(
            (
                (time.perf_counter() - start) * 1000,
                (time.process_time() - cpu) * 1000,
                len(ctx.captured_queries),
            )
        )
        return response


def main() -> None:
    orders = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    client = TimedClient()
    for _ in range(WARM_ORDERS):
        client.cookies.clear()
        inprocess.guest_order(client, follow=True)
    client.timings.clear()
    cpu = time.process_time()
    for _ in range(orders):
        client.cookies.clear()
        inprocess.guest_order(client, follow=True)
    per_order = (time.process_time() - cpu) * 1000 / orders
    print("| request | wall ms | CPU ms | queries |")
    print("| --- | ---: | ---: | ---: |")
    totals = [0.0, 0.0, 0]
    for (method, path), runs in client.timings.items():
        medians = [statistics.median(run[i] for run in runs) for i in range(3)]
        for i in range(3):
            totals[i] += medians[i]
        print(
            f"| {method} {path} | {medians[0]:.1f} | {medians[1]:.1f} | {medians[2]:.0f} |"
        )
    print(
        f"| whole order (sum of medians) | {totals[0]:.1f} | {totals[1]:.1f} | {totals[2]:.0f} |"
    )
    print(f"\nCPU per order, all requests: {per_order:.1f} ms over {orders} orders")


if __name__ == "__main__":
    main()
