"""Helpers for benchmarks: run a function in a fresh process and report time and peak RSS."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_isolated(module: str, function: str, *args: str) -> dict:
    """Run bench/<module>.<function>(*args) in a new interpreter: its own peak RSS, no warm caches."""
    code = (
        "import importlib, json, resource, sys, time\n"
        f"sys.path.insert(0, {str(ROOT)!r}); sys.path.insert(0, {str(ROOT / 'bench')!r})\n"
        f"f = getattr(importlib.import_module({module!r}), {function!r})\n"
        "start = time.perf_counter()\n"
        f"result = f(*{list(args)!r})\n"
        "seconds = time.perf_counter() - start\n"
        "rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "print(json.dumps({'seconds': seconds, 'rss_mb': rss, 'result': result}))\n"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(output.stdout.strip().splitlines()[-1])


def best_of(module: str, function: str, *args: str, rounds: int = 3) -> dict:
    """The fastest of `rounds` fresh-process runs of bench/<module>.<function>(*args)."""
    return min((run_isolated(module, function, *args) for _ in range(rounds)), key=lambda r: r["seconds"])


def row(label: str, result: dict, lines: int, extra: str = "") -> str:
    """One printed line: seconds, lines per second and peak RSS, as every bench prints them."""
    return (f"{label:<28} {result['seconds']:6.2f} s  {lines / result['seconds']:>10,.0f} lines/s  "
            f"peak RSS {result['rss_mb']:6.1f} MB{extra}")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timer() -> float:
    return time.perf_counter()
