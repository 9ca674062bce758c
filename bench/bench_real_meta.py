#!/usr/bin/env python3
"""Bulletin metadata on the real bulletins of ../shared/real, whether or not they load.

    python bench/bench_real_meta.py            # per-field accuracy, and every miss
    python bench/bench_real_meta.py --write    # and replace its section in BENCHMARKS.md

`bench_real.py` scores what `tongbao ingest` loaded, so a bulletin rejected
for another reason (no facts read yet) counts as wrong in every field. This
reads each document's metadata the way the warehouse rows are built
(parsers → units: `read_metadata`, then `warehouse.rows.issuer_place`) and
compares it with the truth's bulletin block, with score.py's normalisation
(NFKC, whitespace removed, brackets of document numbers unified).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.bench_real import find_corpus  # noqa: E402
from bench.common import machine, write_section  # noqa: E402
from parsers.bulletin import ParsedBulletin, read_document  # noqa: E402
from parsers.metadata import read_metadata  # noqa: E402
from warehouse.rows import issuer_place  # noqa: E402

HEADING = "## Real bulletin metadata, loaded or not (../shared/real)"
FIELDS = ("city", "published_date", "doc_number", "period", "issuer", "title")
_BRACKETS = str.maketrans({"〔": "[", "〕": "]", "［": "[", "］": "]", "【": "[", "】": "]", "（": "(", "）": ")"})


def _norm(value, field: str):
    if value is None or not isinstance(value, str):
        return value
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", value))
    return text.translate(_BRACKETS) if field == "doc_number" else text


def read(path: Path) -> dict:
    """Given a real bulletin, return its metadata as the warehouse would hold it."""
    doc = read_document(path.read_bytes(), path.name)
    meta = read_metadata(doc)
    place = issuer_place(ParsedBulletin(doc, meta, []))
    return {
        "city": place.name if place else meta.city,
        "published_date": str(meta.published_date) if meta.published_date else None,
        "doc_number": meta.doc_number,
        "period": (meta.period.year, meta.period.quarter) if meta.period else (None, None),
        "issuer": meta.issuer,
        "title": meta.title,
    }


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--write", action="store_true", help="replace the section in BENCHMARKS.md")
    write = args.parse_args().write
    corpus = find_corpus()
    if corpus is None:
        sys.exit("no ../shared/real corpus beside the checkout")
    right = dict.fromkeys(FIELDS, 0)
    misses = []
    truths = sorted((corpus / "truth").glob("*.json"))
    for truth_file in truths:
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        want = dict(truth["bulletin"], period=(truth["bulletin"]["period_year"], truth["bulletin"]["period_quarter"]))
        got = read(corpus / "docs" / truth["file"])
        for field in FIELDS:
            if _norm(got[field], field) == _norm(want[field], field):
                right[field] += 1
            else:
                misses.append(f"{truth['file']}: {field} read {got[field]!r}, truth {want[field]!r}")
    summary = ", ".join(f"{f} {right[f]}/{len(truths)}" for f in FIELDS)
    print("\n".join(misses + [f"metadata by field: {summary}"]))
    if write:
        write_section(HEADING, "\n".join([
            HEADING, "",
            f"Measured {date.today().isoformat()} on {machine()} with `python bench/bench_real_meta.py --write`: "
            f"the metadata of each of the {len(truths)} real bulletins as the warehouse rows would hold it "
            "(parsers and units, no ingest, so a bulletin rejected for want of facts is still read).", "",
            f"Metadata by field: {summary}.", "",
            "Misses:", "", *[f"- {m}" for m in misses], ""]))


if __name__ == "__main__":
    main()
