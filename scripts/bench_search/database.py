"""The bench database: the server, creating and filling it, its facts."""

import io
import os
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def server_connection(args):
    import psycopg2

    url = urllib.parse.urlsplit(args.server)
    connection = psycopg2.connect(
        host=url.hostname or "127.0.0.1",
        port=url.port or 5432,
        user=urllib.parse.unquote(url.username or "postgres"),
        password=urllib.parse.unquote(url.password or "") or None,
        dbname="postgres",
    )
    connection.autocommit = True
    return connection


def publications_in(args) -> int | None:
    """Publications in the bench database; None when it does not exist."""
    import psycopg2

    server = server_connection(args)
    with server, server.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [args.database])
        exists = cursor.fetchone() is not None
    server.close()
    if not exists:
        return None
    url = urllib.parse.urlsplit(args.server)
    try:
        db = psycopg2.connect(
            host=url.hostname or "127.0.0.1",
            port=url.port or 5432,
            user=urllib.parse.unquote(url.username or "postgres"),
            password=urllib.parse.unquote(url.password or "") or None,
            dbname=args.database,
        )
    except psycopg2.Error:
        return 0
    with db, db.cursor() as cursor:
        try:
            cursor.execute("SELECT count(*) FROM publications_publication")
            count = cursor.fetchone()[0]
        except psycopg2.Error:
            count = 0
    db.close()
    return count


def recreate_database(args, drop: bool):
    from psycopg2 import sql

    server = server_connection(args)
    name = sql.Identifier(args.database)
    with server.cursor() as cursor:
        if drop:
            cursor.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name)
            )
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(name))
    server.close()


def drop_database(args):
    from psycopg2 import sql

    server = server_connection(args)
    with server.cursor() as cursor:
        cursor.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(args.database)
            )
        )
    server.close()


def setup_django(args):
    url = args.server.rstrip("/") + "/" + args.database
    Path(args.var_dir).mkdir(parents=True, exist_ok=True)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="ifri.settings",
        DATABASE_URL=url,
        VAR_DIR=args.var_dir,
        # Caches are cleared before every request anyway; locmem keeps the
        # runs off the disk. One long-lived connection, as a busy worker has.
        CACHE_URL="locmemcache://bench-search",
        CONN_MAX_AGE="3600",
        # Generating and vacuuming 100,000 publications takes statements
        # longer than a request's limit, as manage.py commands may.
        DATABASE_STATEMENT_TIMEOUT="0",
        DEBUG="0",
        HTTPS="off",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


class Tee(io.StringIO):
    """Shows a command's progress and keeps it."""

    def write(self, text):
        sys.stdout.write(text)
        sys.stdout.flush()
        return super().write(text)


def prepare_data(args, existing: int | None) -> dict:
    """Migrate, generate when needed, VACUUM ANALYZE; returns what was done."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    info = {"reused": bool(existing)}
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    call_command("migrate", verbosity=0, interactive=False)
    refresh = search_function("refresh_search_vectors")
    if not existing:
        print(f"Generating {args.count:,} publications (seed {args.seed})...")
        out = Tee()
        start = time.perf_counter()
        call_command(
            "generate_publications",
            args.count,
            seed=args.seed,
            verbosity=1,
            stdout=out,
        )
        info["generate_seconds"] = round(time.perf_counter() - start, 1)
        info["generate_output"] = out.getvalue().strip().splitlines()[-1]
    elif pending and refresh and missing_vectors():
        # New migrations on loaded data left vectors empty: compute them
        # once for what is already there.
        print(f"{len(pending)} migration(s) applied; refreshing search vectors...")
        start = time.perf_counter()
        refresh()
        info["refresh_seconds"] = round(time.perf_counter() - start, 1)
    if existing:
        info["migrations_applied"] = [f"{m.app_label}.{m.name}" for m, _ in pending]
    # DEBUG is off: pages need the static files manifest, as under `make run`.
    call_command("collectstatic", interactive=False, verbosity=0)
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    info["vacuum_analyze_seconds"] = round(time.perf_counter() - start, 1)
    return info


def missing_vectors() -> bool:
    """Some publication has an empty search vector (of any kind)."""
    from django.contrib.postgres.search import SearchVectorField
    from django.db.models import Q

    from publications.models import Publication

    fields = [
        f.name
        for f in Publication._meta.concrete_fields
        if isinstance(f, SearchVectorField)
    ]
    empty = Q()
    for name in fields:
        empty |= Q(**{f"{name}__isnull": True})
    return bool(fields) and Publication.objects.filter(empty).exists()


def search_function(name: str):
    try:
        from publications import search
    except ImportError:
        return None
    return getattr(search, name, None)


def database_facts() -> dict:
    from django.db import connection

    from publications.models import Publication

    facts = {}
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        facts["postgresql"] = cursor.fetchone()[0]
        for setting in ("shared_buffers", "work_mem", "effective_cache_size", "jit"):
            cursor.execute(f"SHOW {setting}")
            facts[setting] = cursor.fetchone()[0]
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        facts["database_size"] = cursor.fetchone()[0]
        cursor.execute(
            """
            SELECT relname, pg_size_pretty(pg_total_relation_size(c.oid))
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind = 'r'
            ORDER BY pg_total_relation_size(c.oid) DESC LIMIT 6
            """
        )
        facts["largest_tables"] = dict(cursor.fetchall())
    facts["gin_indexes"] = gin_indexes()
    facts["publications"] = Publication.objects.count()
    facts["visible"] = Publication.objects.published().count()
    facts["cpus"] = os.cpu_count()
    return facts


def gin_indexes() -> dict:
    """GIN (and GiST) indexes of the database: name -> definition."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT indexname, indexdef FROM pg_indexes
            WHERE schemaname = 'public'
              AND (indexdef ILIKE '%USING gin%' OR indexdef ILIKE '%USING gist%')
            ORDER BY indexname
            """
        )
        return dict(cursor.fetchall())
