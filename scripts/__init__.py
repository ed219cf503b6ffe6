"""Benchmarks of the site, each a package run with `python -m scripts.NAME`."""
