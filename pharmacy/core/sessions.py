"""Django's cached_db sessions, written in one statement.

Django wraps the session row's single INSERT or UPDATE in a transaction, which
outside any other transaction costs a BEGIN and a COMMIT around it: two of the
three queries each checkout step spends on its session. A lone statement in
autocommit is atomic already. Inside a transaction, Django's way is kept."""

import logging

from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.base import (
    VALID_KEY_CHARS,
    CreateError,
    UpdateError,
)
from django.db import DatabaseError, IntegrityError, router, transaction
from django.utils.crypto import get_random_string

logger = logging.getLogger(__name__)


class SessionStore(cached_db.SessionStore):
    def _get_new_session_key(self) -> str:
        # Django asks the cache and the database whether a new random key is
        # taken; save(must_create=True) refuses a taken one anyway, and
        # create() then draws another.
        return get_random_string(32, VALID_KEY_CHARS)

    def save(self, must_create=False):
        using = router.db_for_write(self.model)
        if (
            self.session_key is None
            or transaction.get_connection(using).in_atomic_block
        ):
            return super().save(must_create)
        data = self._get_session(no_load=must_create)
        obj = self.create_model_instance(data)
        try:
            obj.save(
                force_insert=must_create, force_update=not must_create, using=using
            )
        except IntegrityError:
            if must_create:
                raise CreateError from None
            raise
        except DatabaseError:
            if not must_create:
                raise UpdateError from None
            raise
        try:
            self._cache.set(self.cache_key, self._session, self.get_expiry_age())
        except Exception:
            logger.exception("Error saving to cache (%s)", self._cache)
