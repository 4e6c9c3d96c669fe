"""Django's Redis cache, with one redis-py client per connection pool.

Django builds a new ``redis.Redis`` for every cache call, and its constructor
(which fills a table of reply parsers) costs about as much as a round trip to
a local Redis. A client holds no connection of its own, only the pool, so one
per pool serves every call made by this process's cache object.
"""

from django.core.cache.backends import redis as django_redis


class _PooledClientCache(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _PooledClientCache
