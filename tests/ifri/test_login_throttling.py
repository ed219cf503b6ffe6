"""Admin logins are throttled per account and per address (django-axes)."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY

from ..factories import UserFactory, editor

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
OFFICE = "192.0.2.10"
HOME = "198.51.100.7"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 20
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
    settings.BEHIND_PROXY = False


def log_in(client, username, password=PASSWORD, address=OFFICE, **extra):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
        **extra,
    )


def logged_in(client) -> bool:
    return SESSION_KEY in client.session


def fail(client, username, times, address=OFFICE, **extra):
    for _ in range(times):
        log_in(client, username, "wrong password", address, **extra)


def assert_locked(response):
    assert response.status_code == 429
    text = response.content.decode()
    assert "Sign-in blocked" in text
    assert "Try again after" in text
    assert "ask an administrator of this site" in text
    assert int(response["Retry-After"]) > 0


def test_wrong_passwords_are_refused_as_usual_below_the_limit(client):
    editor(username="ines")

    response = log_in(client, "ines", "wrong password")

    assert response.status_code == 200
    assert "Please enter the correct username and password" in (
        response.content.decode()
    )


def test_five_failures_lock_the_account(client):
    editor(username="ines")
    fail(client, "ines", 4)

    assert_locked(log_in(client, "ines", "wrong password"))


def test_the_right_password_is_refused_while_the_account_is_locked(client):
    editor(username="ines")
    fail(client, "ines", 5, address=HOME)

    response = log_in(client, "ines", address=OFFICE)

    assert_locked(response)
    assert not logged_in(client)


def test_the_lockout_page_says_until_when(client, settings):
    settings.TIME_ZONE = "UTC"
    editor(username="ines")
    fail(client, "ines", 5)
    last_failure = AccessAttempt.objects.get().attempt_time

    response = log_in(client, "ines")

    until = last_failure + datetime.timedelta(minutes=15)
    assert f"Try again after {until:%H:%M}" in response.content.decode()
    assert "in 15 minutes" in response.content.decode()


def test_attempts_while_locked_do_not_prolong_the_lock(client):
    editor(username="ines")
    fail(client, "ines", 5)
    last_failure = AccessAttempt.objects.get().attempt_time

    fail(client, "ines", 10)

    attempt = AccessAttempt.objects.get()
    assert attempt.attempt_time == last_failure
    assert attempt.failures_since_start == 5


def test_one_users_failures_do_not_lock_a_colleague_at_the_same_address(client):
    editor(username="ines")
    editor(username="marc")
    fail(client, "ines", 5)

    log_in(client, "marc")

    assert logged_in(client)


def test_an_address_trying_many_accounts_is_locked(client):
    editor(username="marc")
    for number in range(10):
        fail(client, f"guess{number}", 2)

    assert_locked(log_in(client, "marc"))
    assert not logged_in(client)


def test_a_locked_address_does_not_lock_the_account_elsewhere(client):
    editor(username="marc")
    for number in range(10):
        fail(client, f"guess{number}", 2)

    log_in(client, "marc", address=HOME)

    assert logged_in(client)


def test_the_lock_ends_after_the_cool_off(client):
    editor(username="ines")
    fail(client, "ines", 5)
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time
        - datetime.timedelta(minutes=16)
    )

    log_in(client, "ines")

    assert logged_in(client)


def test_an_administrator_unlocks_an_editor(client):
    ines = editor(username="ines")
    fail(client, "ines", 5)
    admin_client = type(client)()
    admin_client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = admin_client.post(
        "/admin/auth/user/",
        {"action": "unlock_login", "_selected_action": [ines.pk]},
        follow=True,
    )

    assert "1 user may sign in again." in response.content.decode()
    log_in(client, "ines")
    assert logged_in(client)


def test_an_editor_cannot_unlock_accounts(client):
    ines = editor(username="ines")
    fail(client, "ines", 5)
    client.force_login(editor(username="marc"))

    client.post(
        "/admin/auth/user/", {"action": "unlock_login", "_selected_action": [ines.pk]}
    )

    assert AccessAttempt.objects.filter(username="ines").exists()


def test_forwarded_addresses_are_ignored_unless_behind_a_proxy(client):
    editor(username="marc")
    for number in range(20):
        # An attacker writing a new address each time is still one address.
        fail(client, f"guess{number}", 1, HTTP_X_FORWARDED_FOR=f"203.0.113.{number}")

    assert_locked(log_in(client, "marc", HTTP_X_FORWARDED_FOR="203.0.113.99"))


def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(client, settings):
    settings.BEHIND_PROXY = True
    settings.PROXY_COUNT = 1
    editor(username="marc")
    proxy = "10.0.0.2"
    for number in range(20):
        # What the client wrote comes first; the proxy appends what it saw.
        fail(
            client,
            f"guess{number}",
            1,
            address=proxy,
            HTTP_X_FORWARDED_FOR=f"203.0.113.{number}, {OFFICE}",
        )

    assert_locked(log_in(client, "marc", address=proxy, HTTP_X_FORWARDED_FOR=OFFICE))
    log_in(client, "marc", address=proxy, HTTP_X_FORWARDED_FOR=HOME)
    assert logged_in(client)


def test_a_forwarded_value_that_is_no_address_counts_as_the_proxys(client, settings):
    settings.BEHIND_PROXY = True
    settings.PROXY_COUNT = 2
    editor(username="ines")

    response = log_in(
        client, "ines", "wrong password", "10.0.0.2", HTTP_X_FORWARDED_FOR="x, y"
    )

    assert response.status_code == 200
    assert AccessAttempt.objects.get().ip_address == "10.0.0.2"
