"""Checks docs/api-parity.md against the headers on disk (api_parity.py --check)."""

import os
import subprocess
import sys


def main():
    annotations, page = sys.argv[1], sys.argv[2]
    # The runfile links to the page in the source tree, whose impl/include
    # holds refipc's headers.
    repo = os.path.dirname(os.path.dirname(os.path.realpath(page)))
    refipc = os.path.join(repo, "impl", "include", "refipc")
    if not os.path.isdir(refipc):
        print("cannot find refipc's headers beside %s" % os.path.realpath(page), file=sys.stderr)
        return 1
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "api_parity.py")
    return subprocess.call(
        [sys.executable, script, "--refipc", refipc, "--annotations", annotations, "--check", page]
    )


if __name__ == "__main__":
    sys.exit(main())
