"""The settings module under a controlled environment, in a process of its own.

Production (HTTPS on, DEBUG off) must be given its secret key; a local site
generates one. Each case starts Python with only the variables it names.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRINT_SETTINGS = """
import json
from django.conf import settings
print(json.dumps({
    "SECRET_KEY": settings.SECRET_KEY,
    "SERVE_MEDIA": settings.SERVE_MEDIA,
    "KEY_PREFIX": settings.CACHES["default"].get("KEY_PREFIX"),
}))
"""


def run_python(tmp_path, code, **variables):
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "ifri.settings",
        "VAR_DIR": str(tmp_path / "var"),
        **variables,
    }
    return subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def load_settings(tmp_path, **variables) -> dict:
    result = run_python(tmp_path, PRINT_SETTINGS, **variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


START_SERVING = "import ifri.wsgi"


def run_manage(tmp_path, *arguments):
    manage = f"import runpy, sys; sys.argv = ['manage.py', *{list(arguments)}]"
    return run_python(
        tmp_path, f"{manage}; runpy.run_path('manage.py', run_name='__main__')"
    )


def test_production_without_a_secret_key_refuses_to_serve(tmp_path):
    result = run_python(tmp_path, START_SERVING)

    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set." in result.stderr
    assert "shared by every app server" in result.stderr
    assert not (tmp_path / "var" / "secret_key").exists()


def test_production_without_a_secret_key_refuses_asgi_too(tmp_path):
    result = run_python(tmp_path, "import ifri.asgi")

    assert "ImproperlyConfigured: SECRET_KEY is not set." in result.stderr


@pytest.mark.parametrize("debug", ["0", "off"])
def test_https_on_said_outright_refuses_too(tmp_path, debug):
    result = run_python(tmp_path, START_SERVING, HTTPS="on", DEBUG=debug)

    assert "SECRET_KEY is not set." in result.stderr


def test_production_without_a_key_never_invents_one(tmp_path):
    result = run_python(tmp_path, PRINT_SETTINGS)

    assert result.returncode != 0
    assert "The SECRET_KEY setting must not be empty." in result.stderr
    assert not (tmp_path / "var" / "secret_key").exists()


def test_commands_that_sign_nothing_run_without_the_key(tmp_path):
    result = run_manage(tmp_path, "makemigrations", "--check", "--dry-run")

    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout
    assert not (tmp_path / "var" / "secret_key").exists()


def test_the_deploy_check_names_the_missing_key(tmp_path):
    result = run_manage(tmp_path, "check", "--deploy")

    assert "security.W009" in result.stderr + result.stdout


def test_production_uses_the_key_it_is_given_and_writes_none(tmp_path):
    key = secrets.token_urlsafe(50)

    loaded = load_settings(tmp_path, SECRET_KEY=key)

    assert loaded["SECRET_KEY"] == key
    assert not (tmp_path / "var" / "secret_key").exists()


@pytest.mark.parametrize("variables", [{"HTTPS": "off"}, {"DEBUG": "1"}])
def test_a_local_site_keeps_its_generated_key(tmp_path, variables):
    first = load_settings(tmp_path, **variables)
    second = load_settings(tmp_path, **variables)

    key_file = tmp_path / "var" / "secret_key"
    assert first["SECRET_KEY"] == second["SECRET_KEY"] == key_file.read_text()
    assert len(first["SECRET_KEY"]) >= 50


def test_media_is_not_served_by_django_unless_asked(tmp_path):
    key = secrets.token_urlsafe(50)

    assert load_settings(tmp_path, SECRET_KEY=key)["SERVE_MEDIA"] is False
    assert load_settings(tmp_path, HTTPS="off")["SERVE_MEDIA"] is False
    assert load_settings(tmp_path, HTTPS="off", SERVE_MEDIA="on")["SERVE_MEDIA"]


def test_make_run_and_make_dev_serve_media_over_plain_http():
    makefile = (ROOT / "Makefile").read_text()

    for target in ("run", "dev"):
        assert f"{target}: export SERVE_MEDIA := on" in makefile
        assert f"{target}: export HTTPS := off" in makefile


def test_cache_keys_have_a_prefix(tmp_path):
    assert load_settings(tmp_path, HTTPS="off")["KEY_PREFIX"] == "ifri"
    prefixed = load_settings(tmp_path, HTTPS="off", CACHE_KEY_PREFIX="ifri-staging")
    assert prefixed["KEY_PREFIX"] == "ifri-staging"


def test_deploy_check_is_clean_with_production_settings(tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "VAR_DIR": str(tmp_path / "var"),
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "example.org",
    }
    if "DATABASE_URL" in os.environ:
        env["DATABASE_URL"] = os.environ["DATABASE_URL"]

    result = subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
