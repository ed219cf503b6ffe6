"""Waiting for PostgreSQL (ifri/database.py): never for ever, and not again
at once after the server failed to answer."""

import socket
import threading

import pytest
from psycopg2 import extensions

from ifri import database


class Server:
    """A connection psycopg2 would wait on, to a server that may answer."""

    def __init__(self, answers: bool, status=extensions.STATUS_READY):
        self.ours, self.theirs = socket.socketpair()
        if answers:
            self.theirs.send(b"answer")
        self.status = status
        self.polls = 0

    def poll(self):
        self.polls += 1
        try:
            self.ours.recv(16, socket.MSG_PEEK | socket.MSG_DONTWAIT)
        except BlockingIOError:
            return extensions.POLL_READ
        return extensions.POLL_OK

    def fileno(self):
        return self.ours.fileno()


@pytest.fixture(autouse=True)
def _fresh_process(monkeypatch, settings):
    monkeypatch.setattr(database, "_not_waiting_until", 0.0)
    settings.DATABASE_CONNECT_TIMEOUT = 0.2
    settings.DATABASE_STATEMENT_TIMEOUT = 0.1
    monkeypatch.setattr(database, "STATEMENT_GRACE", 0.1)


def test_a_server_that_answers_in_time_is_waited_for():
    server = Server(answers=False)
    threading.Timer(0.05, server.theirs.send, [b"answer"]).start()

    database.wait(server)

    assert server.polls == 2


@pytest.mark.parametrize(
    "status",
    [extensions.STATUS_SETUP, extensions.STATUS_READY],
    ids=["connecting", "querying"],
)
def test_a_server_that_does_not_answer_is_given_up(status):
    with pytest.raises(database.DatabaseNotAnswering):
        database.wait(Server(answers=False, status=status))


def test_after_giving_up_the_process_does_not_wait_for_the_database_again():
    with pytest.raises(database.DatabaseNotAnswering):
        database.wait(Server(answers=False))
    answering = Server(answers=True)

    with pytest.raises(database.DatabaseNotAnswering):
        database.wait(answering)

    assert answering.polls == 0


def test_a_command_without_statement_timeout_waits_as_long_as_it_takes(settings):
    settings.DATABASE_STATEMENT_TIMEOUT = 0
    server = Server(answers=False)
    # Later than the limits above would allow.
    threading.Timer(0.5, server.theirs.send, [b"late"]).start()

    database.wait(server)

    assert server.polls == 2
