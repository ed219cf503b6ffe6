"""ensure_admin: the first superuser, created once."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_ensure_admin_uses_admin_password_once(monkeypatch):
    monkeypatch.setenv("ADMIN_PASSWORD", "first-Secret-42")

    output = run("ensure_admin")

    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert admin.check_password("first-Secret-42")
    assert "first-Secret-42" not in output

    monkeypatch.setenv("ADMIN_PASSWORD", "second-Secret-43")
    output = run("ensure_admin")

    admin.refresh_from_db()
    assert admin.check_password("first-Secret-42")
    assert "already exists" in output
    assert get_user_model().objects.count() == 1


@pytest.mark.django_db
def test_ensure_admin_generates_and_prints_a_password(monkeypatch):
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)

    output = run("ensure_admin")

    line = next(li for li in output.splitlines() if li.startswith("Admin account:"))
    password = line.split(" / ", 1)[1].strip()
    assert len(password) >= 16
    assert get_user_model().objects.get(username="admin").check_password(password)
