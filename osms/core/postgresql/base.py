"""Django's PostgreSQL backend with a health check that needs no round trip while the connection
is quiet (ADR 0108).

With persistent connections (CONN_MAX_AGE) Django checks a connection at the first query of each
request by sending `SELECT 1`: a round trip to the server on every request, about a fifth of
the worker's CPU on the public status check. A server that ends a session - a restart, a
failover, `pg_terminate_backend`, an idle timeout - sends its FATAL message and closes the
socket, so the socket of an idle session that the server has ended is readable. This check
looks at the socket without waiting: nothing to read means the session is as the last
query left it; anything to read, or a session not idle, goes to Django's `SELECT 1`.

What it does not see - a peer gone without a word (a cable cut, a host powered off) - Django's
`SELECT 1` would not see either until TCP gives up; the request's query then fails as it
would have, and the next request opens a new connection.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed:
            return False
        pgconn = connection.pgconn
        if pgconn.status != pq.ConnStatus.OK or pgconn.transaction_status != pq.TransactionStatus.IDLE:
            return super().is_usable()
        poller = select.poll()
        poller.register(pgconn.socket, select.POLLIN | select.POLLERR | select.POLLHUP)
        if poller.poll(0):  # the server said something unasked, or hung up
            return super().is_usable()
        return True
