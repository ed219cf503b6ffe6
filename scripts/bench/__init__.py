"""Measure the demo site's main pages, served as `make run` serves them.

1. Starts `make run` (migrate, load the demo if empty, collect static, gunicorn)
   on 127.0.0.1:PORT, with its data in var/bench/ so figures do not depend on
   what was added to the local database.
2. With wrk, measures requests per second and p50/p99 latency of the home
   page, the publication list, an article page (the published one with the
   most authors and related links) and /healthz, the floor: a trivial view
   with one query.
3. Stops gunicorn, then renders each page in-process with Django's test
   client, with the cache cleared before each request, and reports the number
   of SQL queries and the median render time.

Only 127.0.0.1 is targeted and every run is bounded in time. Run it with
`make bench` (`python -m scripts.bench`); `make bench BENCH_ARGS="--help"`
lists the options. Set DATABASE_URL to measure on PostgreSQL.
"""
