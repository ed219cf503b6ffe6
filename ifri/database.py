"""Waiting for PostgreSQL, never for ever.

PostgreSQL's own limits (``connect_timeout``, ``statement_timeout``, set in
settings.py) are enforced by libpq while connecting and by the server while
it runs a statement. A server that stops answering altogether (frozen,
overloaded past answering, cut off by the network while the kernel still
acknowledges) enforces nothing, and libpq would wait for it forever, holding
the worker thread. So every wait for PostgreSQL goes through ``wait()``,
psycopg2's wait callback: it gives up after ``DATABASE_CONNECT_TIMEOUT``
seconds while connecting, and after ``DATABASE_STATEMENT_TIMEOUT`` plus a
second once connected (the server cancels a long statement itself first,
cleanly). psycopg2 closes the connection it was waiting on; Django opens a
new one for the next request.

A process that timed out once does not wait for the database again for
``DATABASE_CONNECT_TIMEOUT`` seconds: requests fail at once (a 503, see
ifri/unavailable.py) instead of each holding a thread that cached pages need.
"""

import logging
import select
import time

import psycopg2
from django.conf import settings
from psycopg2 import extensions

logger = logging.getLogger(__name__)

# Once connected, how much longer than the server's statement timeout we
# wait: long enough for the server to cancel the statement and say so.
STATEMENT_GRACE = 1.0

_POLL_EVENTS = {
    extensions.POLL_READ: select.POLLIN,
    extensions.POLL_WRITE: select.POLLOUT,
}

# Until when (time.monotonic()) this process does not wait for the database.
_not_waiting_until = 0.0


class DatabaseNotAnswering(psycopg2.OperationalError):
    """The server did not answer in time (Django raises OperationalError)."""


def _limit(conn) -> float | None:
    """Seconds this wait may last, None for no limit."""
    if conn.status == extensions.STATUS_SETUP:
        return settings.DATABASE_CONNECT_TIMEOUT
    if settings.DATABASE_STATEMENT_TIMEOUT:
        return settings.DATABASE_STATEMENT_TIMEOUT + STATEMENT_GRACE
    return None


def _give_up(limit: float) -> DatabaseNotAnswering:
    global _not_waiting_until
    pause = settings.DATABASE_CONNECT_TIMEOUT
    _not_waiting_until = time.monotonic() + pause
    logger.warning(
        "PostgreSQL did not answer within %s s; requests that need it fail at "
        "once for the next %s s.",
        limit,
        pause,
    )
    return DatabaseNotAnswering(f"The database did not answer within {limit} s.")


def wait(conn) -> None:
    """psycopg2's wait callback: wait for the server, within the limits."""
    if time.monotonic() < _not_waiting_until:
        raise DatabaseNotAnswering("The database did not answer a moment ago.")
    limit = _limit(conn)
    deadline = None if limit is None else time.monotonic() + limit
    while True:
        state = conn.poll()
        if state == extensions.POLL_OK:
            return
        if state not in _POLL_EVENTS:
            raise psycopg2.OperationalError(f"Unexpected poll state {state}.")
        timeout_ms = None
        if deadline is not None:
            timeout_ms = max(0, int((deadline - time.monotonic()) * 1000))
        # The socket can change while connecting (libpq tries SSL, then not).
        poller = select.poll()
        poller.register(conn.fileno(), _POLL_EVENTS[state])
        if not poller.poll(timeout_ms) and deadline is not None:
            raise _give_up(limit)


def install() -> None:
    """Make every PostgreSQL wait of this process go through ``wait()``."""
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        extensions.set_wait_callback(wait)
