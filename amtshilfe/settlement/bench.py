"""`python -m amtshilfe.settlement.bench [--postgres-url URL]`: settle 1,000,000 entries.

For SQLite (a temporary data directory) and, with ``--postgres-url``, PostgreSQL (a fresh
database next to that URL, dropped afterwards):

1. ``generate`` (own process): migrate; one network with ``--municipalities`` (1,000)
   municipalities, 5 IT specialists each, 20 topic clusters; ``--entries`` (1,000,000) time
   entries in one month, inserted with ``executemany`` (SQLite) or ``COPY`` (PostgreSQL).
   Each municipality helps ten "neighbours" (a network helps where it knows people), 5 %
   is common work, 1 % reversals, dates ascending (booked day by day, as in real use, so
   rows of one period lie together). Entries carry no request (the per-request lines are the
   only part not exercised; they are one more GROUP BY of the same shape).
2. ``settle`` (own process, so its peak RSS is the settlement's): the Kombination scheme
   with direct transfers (the harder transfer case), ``engine.settle()`` timed; peak RSS
   from ``getrusage`` (includes Django and the interpreter).

Progress goes to standard error, one JSON document to standard output. Targets: ≤ 10 s
and ≤ 1 GB per database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
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

SLUG = "bench-settlement"
ACTIVITIES = ["support", "support", "support", "onboarding", "training", "meeting"]


def log(message: str) -> None:
    print(f"[settlement bench] {message}", file=sys.stderr, flush=True)


def _setup() -> None:
    import django

    django.setup()


def worker_generate(municipalities: int, entries: int) -> dict[str, Any]:
    _setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from amtshilfe.accounts.models import User
    from amtshilfe.experts.models import TopicCluster
    from amtshilfe.tenancy.models import Membership, Municipality, Network

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    rng = random.Random(1)  # noqa: S311 (reproducible test data, not secrets)
    with transaction.atomic():
        network = Network.objects.create(slug=SLUG, name="Bench")
        joined = dt.date(2020, 1, 1)
        Municipality.objects.bulk_create(
            [
                Municipality(
                    network=network,
                    slug=f"m{index}",
                    name=f"Kommune {index:04d}",
                    population=rng.randint(800, 60_000),
                    joined_on=joined,
                )
                for index in range(municipalities)
            ],
            batch_size=1000,
        )
        town_ids = list(
            Municipality.objects.filter(network=network).order_by("pk").values_list("pk", flat=True)
        )
        User.objects.bulk_create(
            [
                User(username=f"p{index}", password="!", email=f"p{index}@example.org")
                for index in range(municipalities * 5)
            ],
            batch_size=2000,
        )
        user_ids = list(
            User.objects.filter(username__startswith="p")
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        Membership.objects.bulk_create(
            [
                Membership(
                    user_id=user_ids[index],
                    municipality_id=town_ids[index // 5],
                    role=Membership.Role.IT,
                    started_on=joined,
                )
                for index in range(len(user_ids))
            ],
            batch_size=2000,
        )
        TopicCluster.objects.bulk_create(
            [
                TopicCluster(network=network, slug=f"c{index}", name=f"Thema {index}")
                for index in range(20)
            ]
        )
        cluster_ids = list(
            TopicCluster.objects.filter(network=network).values_list("pk", flat=True)
        )
    now = dt.datetime.now(dt.UTC).isoformat()
    columns = (
        "created_at, updated_at, network_id, person_id, providing_municipality_id, "
        "receiving_municipality_id, request_id, cluster_id, date, minutes, activity, note, "
        "source, reverses_id, is_reversal, import_key"
    )

    def row(index: int) -> tuple[Any, ...]:
        giver = rng.randrange(municipalities)
        person = user_ids[giver * 5 + rng.randrange(5)]
        receiver = (
            None
            if rng.random() < 0.05
            else town_ids[(giver + 1 + rng.randrange(10)) % municipalities]
        )
        reversal = index > 0 and rng.random() < 0.01
        return (
            now,
            now,
            network.pk,
            person,
            town_ids[giver],
            receiver,
            None,
            rng.choice(cluster_ids),
            # Booked day by day, as people do: the table grows in date order.
            dt.date(2026, 10, 1 + index * 31 // entries).isoformat(),
            rng.choice([15, 30, 45, 60, 90, 120]),
            rng.choice(ACTIVITIES) if receiver else "article",
            "",
            "manual",
            first_id if reversal else None,
            reversal,
            "",
        )

    insert = (
        f"INSERT INTO timeaccounting_timeentry ({columns}) "  # noqa: S608 (constant names)
        f"VALUES ({', '.join(['%s'] * 16)})"
    )
    first_id: int | None = None
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            first = row(0)
            cursor.execute(
                insert + " RETURNING id",
                first,
            )
            first_id = cursor.fetchone()[0]
            raw = connection.connection  # the psycopg 3 connection
            with raw.cursor().copy(f"COPY timeaccounting_timeentry ({columns}) FROM STDIN") as copy:
                for index in range(1, entries):
                    copy.write_row(row(index))
        else:
            cursor.execute(
                insert,
                row(0),
            )
            first_id = cursor.lastrowid
            batch: list[tuple[Any, ...]] = []
            for index in range(1, entries):
                batch.append(row(index))
                if len(batch) == 50_000:
                    cursor.executemany(
                        insert,
                        batch,
                    )
                    batch.clear()
            if batch:
                cursor.executemany(
                    insert,
                    batch,
                )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE timeaccounting_timeentry")
    return {"generate_seconds": round(time.perf_counter() - started, 2), "entries": entries}


def worker_settle() -> dict[str, Any]:
    _setup()
    from django.db import connection

    from amtshilfe.settlement import engine
    from amtshilfe.settlement.models import CompensationScheme
    from amtshilfe.settlement.periods import parse_period
    from amtshilfe.tenancy.models import Network

    network = Network.objects.get(slug=SLUG)
    spec = parse_period("2026-10")
    scheme = CompensationScheme(
        network=network,
        valid_from=spec.starts_on,
        kind="kombination",
        rates={"support": 6000, "onboarding": 5000, "training": 5500, "meeting": 4500},
        free_quota_minutes=600,
        levy_key="mix",
        population_percent=50,
        common_rate_cents=4500,
        clearing_mode="direct",
    )
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cpu_before = time.process_time()
    started = time.perf_counter()
    result = engine.settle(network=network, spec=spec, scheme=scheme)
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_before
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "database": connection.vendor,
        "settle_seconds": round(seconds, 2),
        # CPU of this process (SQLite runs in it; PostgreSQL's work is in the server).
        "settle_cpu_seconds": round(cpu, 2),
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "rss_before_settle_mb": round(rss_before / 1024, 1),
        "statements": len(result.statements),
        "transfers": len(result.transfers),
        "total_minutes": result.total_minutes,
        "sum_of_balances_cents": sum(s.balance_cents for s in result.statements),
        "within_target": seconds <= 10 and peak_kb <= 1024 * 1024,
    }


def _child(env: dict[str, str], *args: str) -> dict[str, Any]:
    done = subprocess.run(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "amtshilfe.settlement.bench", "--worker", *args],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"settlement bench step {args[0]} failed ({done.returncode})")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run(kind: str, postgres_url: str, municipalities: int, entries: int) -> dict[str, Any]:
    from amtshilfe.bench import scratch_database

    data_dir = Path(tempfile.mkdtemp(prefix=f"amtshilfe-bench-settlement-{kind}-"))
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AMTSHILFE_", "DATABASE_URL", "DJANGO_"))
    }
    env.update(
        {
            "AMTSHILFE_DATA_DIR": str(data_dir),
            "AMTSHILFE_LOG_LEVEL": "ERROR",
            "DJANGO_SETTINGS_MODULE": "amtshilfe.settings",
        }
    )
    with scratch_database(
        kind,
        postgres_url,
        env,
        data_dir,
        name=f"amtshilfe_bench_settlement_{os.getpid()}",
        keep=False,
        say=log,
    ) as scratch:
        log(f"{kind}: generating {entries:,} entries over {municipalities:,} municipalities")
        generated = _child(scratch, "generate", str(municipalities), str(entries))
        log(f"{kind}: generated in {generated['generate_seconds']} s; settling")
        settled = _child(scratch, "settle")
        log(f"{kind}: settled in {settled['settle_seconds']} s, peak {settled['peak_rss_mb']} MB")
    return generated | settled


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", nargs="+")
    parser.add_argument("--postgres-url", default="")
    parser.add_argument("--municipalities", type=int, default=1000)
    parser.add_argument("--entries", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    if args.worker:
        name, *rest = args.worker
        generate = name == "generate"
        result = worker_generate(int(rest[0]), int(rest[1])) if generate else worker_settle()
        print(json.dumps(result))
        return
    results = {"sqlite": run("sqlite", "", args.municipalities, args.entries)}
    if args.postgres_url:
        results["postgresql"] = run(
            "postgresql", args.postgres_url, args.municipalities, args.entries
        )
    output = io.StringIO()
    json.dump({"settlement": results, "note": "measured on a shared machine"}, output, indent=2)
    print(output.getvalue())


if __name__ == "__main__":
    main()
