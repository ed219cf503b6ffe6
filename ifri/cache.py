"""The file cache of the embedded mode, with an atomic ``incr``.

Django's file cache reads a value and writes it back: two processes bumping
the content version at once could both write the same new number, and a page
rendered between the two commits would be kept under it. Here ``incr`` and
``add`` hold an exclusive lock on a file in the cache's folder, which every
process of the machine shares.
"""

import fcntl
import os
from contextlib import contextmanager

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache as DjangoFileCache

LOCK_NAME = "counters.lock"


class FileBasedCache(DjangoFileCache):
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
