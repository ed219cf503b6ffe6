"""The site's cache backends: a cache that fails is an empty cache, and the
file cache of the embedded mode has an atomic ``incr``.

The cache only ever saves work: when it cannot be reached (Redis down or
frozen, a full disk), every read is a miss and every write is dropped, so
pages are rendered from the database, slower but right, and an editor's save
goes through. The failure is logged, and for ``PAUSE`` seconds this process
does not try the cache again, so that a frozen Redis costs one socket timeout,
not one per cache call. ``publications.caching`` notices that the content
version could not be read or bumped and trusts nothing cached until it has
bumped it again.

Django's file cache reads a value and writes it back: two processes bumping
the content version at once could both write the same new number, and a page
rendered between the two commits would be kept under it. Here ``incr`` and
``add`` hold an exclusive lock on a file in the cache's folder, which every
process of the machine shares.
"""

import fcntl
import logging
import os
import threading
import time
from contextlib import contextmanager

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache as DjangoFileCache
from django_redis.cache import RedisCache as DjangoRedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

LOCK_NAME = "counters.lock"
PAUSE = 1.0  # seconds without trying a cache that failed

# Until when (time.monotonic()) this process leaves the cache alone.
_resume_at = 0.0
# Set while a cache call runs, so that the calls it makes itself (incr reads
# and writes) fail with it, not one by one.
_inside = threading.local()


class FailSafe:
    """Cache calls that fail with one of ``failures`` find and keep nothing:
    ``get`` gives the default, ``add``, ``touch``, ``delete`` and ``has_key``
    False, ``incr`` and ``decr`` None (a missing key is still a ValueError)."""

    failures: tuple[type[Exception], ...] = (OSError,)

    def _attempt(self, fallback, call, *args):
        global _resume_at
        if getattr(_inside, "call", False):
            return call(*args)
        if time.monotonic() < _resume_at:
            return fallback
        _inside.call = True
        try:
            return call(*args)
        except self.failures as error:
            _resume_at = time.monotonic() + PAUSE
            logger.warning(
                "The cache failed (%s): pages are rendered without it; "
                "trying it again in %s s.",
                error,
                PAUSE,
            )
            return fallback
        finally:
            _inside.call = False

    def get(self, key, default=None, version=None):
        return self._attempt(default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._attempt({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._attempt(False, super().has_key, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(False, super().add, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(None, super().set, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(list(data), super().set_many, data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(False, super().touch, key, timeout, version)

    def incr(self, key, delta=1, version=None):
        return self._attempt(None, super().incr, key, delta, version)

    def decr(self, key, delta=1, version=None):
        return self._attempt(None, super().decr, key, delta, version)

    def delete(self, key, version=None):
        return self._attempt(False, super().delete, key, version)

    def delete_many(self, keys, version=None):
        return self._attempt(None, super().delete_many, keys, version)

    def clear(self):
        return self._attempt(None, super().clear)


class RedisCache(FailSafe, DjangoRedisCache):
    """django-redis, failing safe when Redis is down, frozen or refuses."""

    failures = (RedisError, OSError)


class LockingFileBasedCache(DjangoFileCache):
    def __init__(self, dir, params):
        super().__init__(dir, params)
        self.lock_path = os.path.join(os.path.abspath(dir), LOCK_NAME)

    @contextmanager
    def exclusive(self):
        os.makedirs(os.path.dirname(self.lock_path), 0o700, exist_ok=True)
        with open(self.lock_path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        with self.exclusive():
            return super().add(key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        """Counters and versions are kept until deleted: the new value is
        stored without expiry."""
        with self.exclusive():
            value = self.get(key, version=version)
            if value is None:
                raise ValueError(f"Key '{key}' not found")
            value += delta
            self.set(key, value, timeout=None, version=version)
            return value


class FileBasedCache(FailSafe, LockingFileBasedCache):
    """The file cache of the embedded mode, failing safe (a full disk...)."""
