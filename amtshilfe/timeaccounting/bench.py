"""`python -m amtshilfe.timeaccounting.bench`: speed of the CSV import of time entries.

1. Create a scratch database (SQLite in a temporary data directory; with ``--postgres-url``
   a fresh PostgreSQL database next to it – ``amtshilfe.bench.scratch_database``).
2. In a child process: migrate, create a network with ``--municipalities`` municipalities
   and ``--people`` IT specialists, and generate ``--lines`` CSV lines (fixed seed) with all
   the spellings the import accepts (ISO and German dates, slug/AGS/name, labels).
3. Time ``import_time_entries`` on the whole file (decode, check every line, one
   transaction with bulk inserts under the closed-range triggers), then the same file again
   (idempotent: nothing added).
4. Print one JSON document: ``lines_per_second`` of the first import, the seconds of both,
   and the peak memory of the child. Progress goes to standard error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ACTIVITIES = ("support", "article", "Schulung", "meeting", "Koordination")


def log(message: str) -> None:
    print(f"[bench-time] {message}", file=sys.stderr, flush=True)


def generate_csv(
    *, lines: int, municipalities: list[tuple[str, str, str]], people: list[tuple[str, int]]
) -> str:
    """``lines`` valid lines: each person books for their employer on 180 past days."""
    rng = random.Random(5)  # noqa: S311 (reproducible test data, not secrets)
    today = dt.date.today()
    rows = ["Datum;Person;leistende Kommune;empfangende Kommune;Minuten;Tätigkeit;Anfrage;Notiz"]
    for index in range(lines):
        username, employer = people[rng.randrange(len(people))]
        day = today - dt.timedelta(days=rng.randrange(1, 180))
        date = day.isoformat() if index % 2 else day.strftime("%d.%m.%Y")
        slug, ags, name = municipalities[employer]
        giver = (slug, ags, name)[index % 3]
        taker = (
            "netzwerk" if index % 7 == 0 else municipalities[rng.randrange(len(municipalities))][0]
        )
        minutes = rng.randrange(5, 480)
        activity = ACTIVITIES[index % len(ACTIVITIES)]
        rows.append(f"{date};{username};{giver};{taker};{minutes};{activity};;Zeile {index}")
    return "\n".join(rows) + "\n"


def worker(args: argparse.Namespace) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command

    from amtshilfe.tenancy.models import Network
    from amtshilfe.tenancy.services import create_municipality, create_person
    from amtshilfe.timeaccounting.csv_import import import_time_entries
    from amtshilfe.timeaccounting.models import TimeEntry

    call_command("migrate", verbosity=0)
    network = Network.objects.create(slug="bench", name="Benchmark-Kreis")
    start = dt.date(2020, 1, 1)
    municipalities = []
    for index in range(args.municipalities):
        municipality = create_municipality(
            actor=None,
            network=network,
            name=f"Gemeinde {index:04d}",
            ags=f"14{index:06d}",
            population=1000 + index,
            joined_on=start,
        )
        municipalities.append((municipality.slug, municipality.ags, municipality.name))
    people = []
    for index in range(args.people):
        employer = index % len(municipalities)
        person = create_person(
            actor=None,
            network=network,
            username=f"it{index:04d}",
            first_name="IT",
            last_name=f"Fachkraft {index}",
            municipality=network.municipalities.get(slug=municipalities[employer][0]),
            role="it",
            started_on=start,
        )
        people.append((person.username, employer))
    text = generate_csv(lines=args.lines, municipalities=municipalities, people=people)
    data = text.encode("utf-8")
    log(f"generated {args.lines} lines ({len(data) / 1e6:.1f} MB); importing")
    began, cpu = time.perf_counter(), time.process_time()
    first = import_time_entries(actor=None, network=network, data=data)
    first_seconds = time.perf_counter() - began
    first_cpu = time.process_time() - cpu
    if first.imported != args.lines:
        raise SystemExit(f"import failed: {first.as_dict()} {first.errors[:3]}")
    log(f"imported in {first_seconds:.2f} s; importing the same file again")
    began = time.perf_counter()
    again = import_time_entries(actor=None, network=network, data=data)
    again_seconds = time.perf_counter() - began
    return {
        "lines": args.lines,
        "municipalities": args.municipalities,
        "people": args.people,
        "import_seconds": round(first_seconds, 3),
        "lines_per_second": round(args.lines / first_seconds),
        # CPU time of this process only (the database work of PostgreSQL is not in it):
        # on a shared machine it shows what the import costs without waiting for a core.
        "import_cpu_seconds": round(first_cpu, 3),
        "reimport_seconds": round(again_seconds, 3),
        "reimport_added": again.imported,
        "entries_in_database": TimeEntry.objects.count(),
        "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--municipalities", type=int, default=50)
    parser.add_argument("--people", type=int, default=100)
    parser.add_argument(
        "--postgres-url", default="", help="PostgreSQL server URL (else SQLite in a temp dir)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args)))
        return 0
    from amtshilfe.bench import scratch_database

    kind = "postgresql" if args.postgres_url else "sqlite"
    data_dir = Path(tempfile.mkdtemp(prefix="amtshilfe-bench-time-"))
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AMTSHILFE_", "DATABASE_URL", "DJANGO_"))
    }
    env.update(
        {
            "AMTSHILFE_DATA_DIR": str(data_dir),
            "AMTSHILFE_LOG_LEVEL": "ERROR",
            "AMTSHILFE_TESTING": "1",  # hashing embeddings, no model download
            "DJANGO_SETTINGS_MODULE": "amtshilfe.settings",
        }
    )
    with scratch_database(
        kind,
        args.postgres_url,
        env,
        data_dir,
        name=f"amtshilfe_bench_time_{os.getpid()}",
        keep=args.keep,
        say=log,
    ) as scratch:
        extra = [
            f"--lines={args.lines}",
            f"--municipalities={args.municipalities}",
            f"--people={args.people}",
        ]
        done = subprocess.run(  # noqa: S603 (our own interpreter and module)
            [sys.executable, "-m", "amtshilfe.timeaccounting.bench", "--worker", *extra],
            env=scratch,
            stdout=subprocess.PIPE,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        log(f"worker failed with status {done.returncode}")
        return 1
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["database"] = kind
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
