"""The `amtshilfe` console script: Django's manage.py with our command names.

Our commands are spelled with hyphens on the command line (`amtshilfe create-token`,
`amtshilfe import-kb`) and live in modules with underscores.
"""

from __future__ import annotations

import os
import sys

# Commands that serve requests: numpy's BLAS threads would fight the server's own threads
# (an idle OpenBLAS thread keeps spinning after each product; measured in ADR 0008). Must be
# set before numpy is first imported, i.e. before Django loads the apps.
SERVING_COMMANDS = {"serve", "demo"}
# A serving process runs numpy's BLAS on one thread: its idle threads spin after each small
# product and stole the second core from the query embedding. OpenMP threads (the embedding
# model) sleep instead of spinning while they wait, so that a query may use both cores
# without stalling when the other one is busy (wiki/search/embeddings.py, QUERY_THREADS).
# Benchmarks serve with the same environment.
SERVING_ENVIRONMENT = {
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "OMP_WAIT_POLICY": "PASSIVE",
}


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amtshilfe.settings")
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
        if args[1] in SERVING_COMMANDS:
            for name, value in SERVING_ENVIRONMENT.items():
                os.environ.setdefault(name, value)
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
