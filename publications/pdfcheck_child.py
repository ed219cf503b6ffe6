"""The PDF check's child process, started by ``publications.pdfcheck``::

    python -m publications.pdfcheck_child FILE OUTDIR [--timeout S] [--memory B]
        [--max-pages N] [--text-bytes B]

Lowers its own limits, checks FILE, writes the text and thumbnail of an
accepted file into OUTDIR and prints what it found as one JSON object on its
standard output, which carries nothing else.
"""

import argparse
import json
import os
import sys

# Loaded before the limits are lowered, as everything the check itself
# imports: the memory limit is then the file's share, not the libraries'.
import pypdfium2  # noqa: F401
from PIL import WebPImagePlugin  # noqa: F401

from publications import pdfcheck


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="The PDF check's child.")
    parser.add_argument("path")
    parser.add_argument("outdir")
    pdfcheck.limit_options(parser)
    args = parser.parse_args(argv)
    # Whatever a library prints goes to stderr: stdout is the answer alone.
    answer = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    sys.stdout.flush()
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    result = pdfcheck.run(args.path, args.outdir, pdfcheck.limits_from(args))
    with answer:
        json.dump(result, answer)
    return 0


if __name__ == "__main__":
    status = main()
    # Everything is written: skip the interpreter's teardown, which with
    # pdfium loaded costs a sixth of the whole check.
    sys.stderr.flush()
    os._exit(status)
