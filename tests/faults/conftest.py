"""Fixtures of the fault tests: our own PostgreSQL and Redis servers and the
site under gunicorn, pointed at them through the environment."""

import shutil

import pytest

from .servers import TEMPLATE, PostgresServer, RedisServer, Site, postgres_bin

# What every site serves: an editor, an author, a center and a few
# publications (article-0 ... article-3) with their PDFs.
SEED = """
from tests.factories import AuthorFactory, PublicationFactory, editor
author = AuthorFactory(slug="ada-lovelace")
for number in range(4):
    PublicationFactory(
        slug=f"article-{number}",
        title=f"Energy security {number}",
        authors=[author],
        with_pdf=True,
        with_image=True,
    )
editor(username="editor")
"""


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """A pytest-xdist worker under `--dist loadgroup` has suffixed the id of
    every test in an xdist_group with the group's name, which is what keeps
    the group on one worker. If it could not, every worker would start
    servers of its own: stop, rather than run slowly without a word."""
    if not getattr(config.option, "loadgroup", False):
        return
    for item in items:
        if item.get_closest_marker("xdist_group") and "@" not in item.nodeid:
            raise pytest.UsageError(
                "pytest-xdist could not group the fault tests with this pytest "
                "(see the pytest pin in pyproject.toml)."
            )


@pytest.fixture(scope="session")
def postgres():
    bin_dir = postgres_bin()
    if bin_dir is None:
        pytest.skip(
            "PostgreSQL server binaries (postgres, initdb) are not installed: "
            "apt-get install postgresql"
        )
    server = PostgresServer(bin_dir)
    try:
        server.start()
        yield server
    finally:
        server.remove()


@pytest.fixture(scope="session")
def redis_server():
    executable = shutil.which("redis-server")
    if executable is None:
        pytest.skip("redis-server is not installed: apt-get install redis-server")
    server = RedisServer(executable)
    try:
        server.start()
        yield server
    finally:
        server.remove()


@pytest.fixture(scope="session")
def prepared(postgres, tmp_path_factory):
    """What every site starts from, made once: a migrated and seeded
    template database, its uploads, and the static files DEBUG off needs."""
    root = tmp_path_factory.mktemp("prepared")
    environment = {
        "DATABASE_URL": postgres.create_database(TEMPLATE),
        "STATIC_ROOT": str(root / "static"),
        "MEDIA_ROOT": str(root / "media"),
        "PRIVATE_MEDIA_ROOT": str(root / "private"),
        "CACHE_URL": f"filecache://{root / 'cache'}",
    }
    preparing = Site(root, environment)
    static = preparing.manage_in_background("collectstatic", "--noinput")
    preparing.manage("migrate", "--noinput")
    preparing.python(SEED)
    assert static.wait() == 0, static.stderr.read()
    return environment


@pytest.fixture
def postgres_back(postgres):
    """Whatever a test did to the database server, it answers afterwards."""
    yield postgres
    if postgres.running:
        postgres.thaw()
    else:
        postgres.start()
