"""Running the same work in several threads at the same moment, each on its
own database connection, for the races a double click or many buyers make."""

import threading
from collections.abc import Callable, Iterable

from django.db import close_old_connections, connection


def at_once(task: Callable, items: Iterable, *, timeout: float = 120) -> tuple:
    """Call ``task(item)`` for every item, each in its own thread, released
    together. Returns (results by item, exceptions raised, threads still
    running after ``timeout``)."""
    items = list(items)
    start = threading.Barrier(len(items))
    results: dict = {}
    unexpected: list[BaseException] = []
    lock = threading.Lock()

    def run(item) -> None:
        try:
            start.wait(timeout=30)
            result = task(item)
            with lock:
                results[item] = result
        except BaseException as exc:  # reported to the test, which fails
            with lock:
                unexpected.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    close_old_connections()
    alive = [thread for thread in threads if thread.is_alive()]
    return results, unexpected, alive
