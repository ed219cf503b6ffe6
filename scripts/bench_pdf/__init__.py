"""Measure the full-analysis PDF pipeline: processing on upload, and serving.

- measure_processing(): the upload pipeline. Accepting a generated 300-page
  report end to end (checks in the sandboxed child, text extraction, first-page
  thumbnail, storage, version row), on a scratch database in its own process:
  wall time, the web worker's tracemalloc peak and max RSS, and the checking
  child's peak RSS (RUSAGE_CHILDREN). `--skip-processing` leaves it out.
- measure_serving(): the download view under load, as `make run` serves it
  (gunicorn on 127.0.0.1, PDF_DELIVERY=django). It starts `make run` with its
  own data in var/bench-pdf/, gives a published publication a ~1 MiB PDF, and
  with wrk reports requests per second, p50/p99 latency and throughput of full
  downloads and of 64 KiB range requests. The server is stopped at the end.

Only 127.0.0.1 is targeted and every run is bounded in time. Run it with
`make bench-pdf` (`.venv/bin/python -m scripts.bench_pdf`); `make bench-pdf
BENCH_PDF_ARGS="--help"` lists the options.
"""
