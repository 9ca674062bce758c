"""Byte-level mutations of real fixtures, shared by the fuzz tests and bench/fuzz_parsers.py."""

from __future__ import annotations

import random
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MUTATIONS = ("truncate", "flip_bytes", "shuffle_lines", "huge_cell", "reencode", "duplicate_span", "zero_span")


def fixture_files() -> list[Path]:
    """Every bulletin fixture, all formats (bad inputs included)."""
    folders = ["seeds", "text", "docx", "pdf", "bad", "html", "xlsx"]
    files = []
    for folder in folders:
        files += sorted(p for p in (ROOT / "fixtures" / folder).glob("*") if p.is_file() and p.suffix != ".doc")
    return files


def mutate(data: bytes, kind: str, rng: random.Random) -> bytes:
    """Given a file's bytes, a mutation kind and a random source, return mutated bytes."""
    if not data:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 64)))
    if kind == "truncate":
        return data[: rng.randrange(len(data))]
    if kind == "flip_bytes":
        out = bytearray(data)
        for _ in range(rng.randrange(1, 20)):
            out[rng.randrange(len(out))] = rng.randrange(256)
        return bytes(out)
    if kind == "shuffle_lines":
        lines = data.split(b"\n")
        rng.shuffle(lines)
        return b"\n".join(lines)
    if kind == "huge_cell":
        at = rng.randrange(len(data))
        return data[:at] + ("市" * rng.choice([10_000, 100_000])).encode() + b" |\n" + data[at:]
    if kind == "reencode":
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return data[::-1]
        return text.encode(rng.choice(["gb18030", "utf-16", "big5", "shift_jis", "latin-1"]), errors="replace")
    if kind == "duplicate_span":
        a = rng.randrange(len(data))
        b = min(len(data), a + rng.randrange(1, 4096))
        return data[:b] + data[a:b] * rng.randrange(2, 6) + data[b:]
    if kind == "zero_span":
        a = rng.randrange(len(data))
        b = min(len(data), a + rng.randrange(1, 512))
        return data[:a] + bytes(b - a) + data[b:]
    raise ValueError(kind)
