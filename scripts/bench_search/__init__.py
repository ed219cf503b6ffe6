"""Measure search, the publication list with facets and autocomplete at scale.

1. Uses its own PostgreSQL database (ifri_bench_search on 127.0.0.1 unless
   told otherwise). It is created when missing, and dropped and recreated only
   with --regenerate or when it holds another number of publications; it is
   kept afterwards for inspection unless --drop is given. Nothing else on the
   server is touched.
2. Migrates it and fills it with `manage.py generate_publications 100000`
   (timed; skipped when the publications are already there), then runs
   VACUUM ANALYZE.
3. Times the build of the facet index (publications/search/facet_index.py), what
   the first search after an edit adds. Then in-process, with Django's test
   client and every cache cleared before each request but the facet index of
   the current content version (the cold path: no cached page helps; the
   index stays until the next edit), measures p50 and p95 latency over 100
   requests (after a warm-up: enough that a few outliers, a garbage
   collection or another process's burst, do not make the p95) of 20
   typical searches,
   the publication list with its facet counts (with and without filters) and
   autocomplete; and the same searches through search() itself (the queries
   without the template). Each case stops early after --max-seconds.
4. Prints EXPLAIN (ANALYZE, BUFFERS) of the main search SQL and the
   autocomplete SQL, captured from real requests, says which GIN indexes the
   plans use, and for every case over its target shows its slowest SQL with
   its plan.
5. Writes everything to var/bench-search/results.json and prints a table with
   PASS/FAIL against the targets: search p95 < 50 ms, list page with facets
   p95 < 100 ms, autocomplete p95 < 20 ms.

Before measuring, it prints the machine's speed: a fixed pure-Python loop and
a fixed PostgreSQL statement (best of 5), with the CPU model, so that runs on
different machines can be compared.

Run it with `make bench-search` (`python -m scripts.bench_search`);
`make bench-search BENCH_SEARCH_ARGS="--help"` lists the options. It prints
figures; it is not a test.
"""
