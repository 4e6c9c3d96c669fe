"""Readiness checks for the load balancer: can this process reach what it
needs to serve a page?"""

import logging

from django.core.cache import caches
from django.db import connections

logger = logging.getLogger(__name__)
PROBE_KEY = "healthz:probe"


def database_reachable() -> bool:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any driver's "cannot connect" is a failed check
        logger.warning("healthz: database unreachable", exc_info=True)
        return False
    return True


def cache_reachable() -> bool:
    """The shared cache answers a write and a read (sessions and the page
    cache live there)."""
    try:
        for alias in ("default", "catalog"):
            cache = caches[alias]
            cache.set(PROBE_KEY, 1, 10)
            cache.get(PROBE_KEY)
    except Exception:
        logger.warning("healthz: cache unreachable", exc_info=True)
        return False
    return True


def readiness() -> dict[str, bool]:
    return {"database": database_reachable(), "cache": cache_reachable()}
