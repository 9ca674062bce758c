"""What every benchmark needs: a description of the machine, and a way to
replace its own section of BENCHMARKS.md without touching the others."""

from __future__ import annotations

import os
import platform
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = ROOT / "BENCHMARKS.md"


def machine() -> str:
    """Return `N CPUs (nproc), CPU model, RAM, Python version` for this machine."""
    cpu, ram = "unknown CPU", "unknown RAM"
    try:
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
        mem_kb = next(int(l.split()[1]) for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal"))
        ram = f"{mem_kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, StopIteration, ValueError):
        pass
    return f"{os.cpu_count()} CPUs (nproc), {cpu}, {ram}, Python {platform.python_version()}"


def write_section(heading: str, text: str, path: Path = BENCHMARKS) -> None:
    """Given a `## …` heading and the section's text (starting with that
    heading), replace that section of BENCHMARKS.md or append it."""
    current = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    start = current.find(heading)
    if start >= 0:
        end = current.find("\n## ", start + len(heading))
        rest = current[end + 1 :] if end >= 0 else ""
        current = current[:start].rstrip("\n") + "\n\n" + text.rstrip("\n") + "\n" + ("\n" + rest if rest else "")
    else:
        current = current.rstrip("\n") + "\n\n" + text.rstrip("\n") + "\n"
    path.write_text(current, encoding="utf-8")
