"""Parse the options, then measure processing and serving in turn."""

import argparse
import signal
import sys

from . import __doc__ as DESCRIPTION
from .processing import measure_processing, processing_options, processing_worker
from .serving import measure_serving, serving_options


def main():
    parser = argparse.ArgumentParser(
        prog="python -m scripts.bench_pdf",
        description=DESCRIPTION.splitlines()[0],
        parents=[serving_options()],
    )
    parser.add_argument("--skip-serving", action="store_true")
    options, _ = parser.parse_known_args()
    processing, _ = processing_options().parse_known_args()
    if processing.processing_worker:
        return processing_worker(processing)

    def on_sigterm(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_sigterm)
    failed = measure_processing(sys.argv[1:]) != 0
    if not options.skip_serving:
        failed |= measure_serving(sys.argv[1:]) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
