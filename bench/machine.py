"""What the figures were measured on: read from /proc, no Django, so every bench script can name it."""

from __future__ import annotations

import os
import platform
import time
from pathlib import Path


def machine() -> str:
    """nproc, CPU model, RAM and Python: what the figures were measured on."""
    cpu, ram = platform.processor() or "unknown CPU", ""
    try:
        info = Path("/proc/cpuinfo").read_text()
        cpu = next(
            line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("model name")
        )
        kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        ram = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, StopIteration, ValueError):
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (
        f"{cores} cores (nproc), {cpu}{ram}, Python {platform.python_version()}, "
        f"a pure-Python loop of 10 million additions in {python_speed():.2f} s"
    )


def python_speed() -> float:
    """Seconds for 10 million additions in a Python loop, best of three: machines that print the same
    CPU model differ (2.2 times between two sessions of issue 18), and this tells the figures apart."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for number in range(10_000_000):
            total += number
        best = min(best, time.perf_counter() - started)
    return best
