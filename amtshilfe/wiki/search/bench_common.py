"""Shared constants and helpers of the search benchmark (see bench.py)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

TARGETS_MS = {5_000: 50.0, 100_000: 200.0}
DEFAULT_SIZES = (5_000, 100_000)
NETWORK_SLUG = "benchkreis"
USERNAME = "bench.staff"
MUNICIPALITIES = 8
NOISE_SIGMA = 0.01  # per dimension: cosine of a synthetic vector to its source ≈ 0.98
LEXICON_SIZE = 200_000
ZIPF_EXPONENT = 1.0
CHUNK = 1_000  # synthetic articles per transaction
LARGE = 20_000  # above this corpus size, fewer queries per run (each takes longer)


def dataset_dir() -> Path:
    configured = os.environ.get("AMTSHILFE_BENCH_DATASET")
    if configured:
        return Path(configured)
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent.parent / "shared" / "dataset"
        if candidate.is_dir():
            return candidate
    raise SystemExit("dataset not found; set AMTSHILFE_BENCH_DATASET")


def log(message: str) -> None:
    print(f"[bench-search] {message}", file=sys.stderr, flush=True)


def rss_mb() -> dict[str, float]:
    """Current and peak resident set size of this process (from /proc, else getrusage)."""
    values: dict[str, float] = {}
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(("VmRSS:", "VmHWM:")):
                key = "rss_mb" if line.startswith("VmRSS") else "peak_rss_mb"
                values[key] = round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    import resource

    values.setdefault("rss_mb", float("nan"))
    values["ru_maxrss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return values


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def summary_ms(seconds: list[float]) -> dict[str, float]:
    import numpy as np

    if not seconds:
        return {"p50": 0.0, "p95": 0.0, "p99": 0.0, "mean": 0.0, "max": 0.0, "count": 0}
    ms = np.asarray(seconds) * 1000
    return {
        "p50": round(float(np.percentile(ms, 50)), 2),
        "p95": round(float(np.percentile(ms, 95)), 2),
        "p99": round(float(np.percentile(ms, 99)), 2),
        "mean": round(float(ms.mean()), 2),
        "max": round(float(ms.max()), 2),
        "count": len(ms),
    }


# =============================================================================================
# Workers: run in a child process with the database chosen by the environment.
# =============================================================================================


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amtshilfe.settings")
    import django

    django.setup()


def _questions() -> list[dict[str, Any]]:
    path = dataset_dir() / "questions_dev.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
