#!/usr/bin/env python3
"""Score the prose reader alone on the real bulletins of ../shared/real.

    python bench/bench_prose.py             # statistics, findings, wrong values
    python bench/bench_prose.py --misses    # also list each miss and extra
    python bench/bench_prose.py --write     # and replace its section in BENCHMARKS.md

`bench_real.py` scores the whole pipeline, where a wrong city or period (the
metadata reader's job) hides what the prose reader got right. This script
parses each document, gives it the truth's city and headline period, and
scores only what `parsers/prose.py` contributes:

- statistics recall on in-vocabulary truth (score.py's own matcher);
- every statistic whose code is in the truth's vocabulary but whose value
  matches no truth row of that code and period: a wrong-valued statistic,
  printed one by one (the figure means something else than its code says);
- findings P / R / F1 with the truth's `other:` findings mapped to our codes
  through `bench/real_finding_codes.csv` (the truth predates the codes), and
  score.py's unmapped F1 beside it;
- `other:` findings and statistics kept anywhere (score.py's lenient check).

Traditional-script documents are converted with OpenCC when it is installed
(the pipeline's own conversion belongs to the metadata reader).
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import importlib.util
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.bench_real import find_corpus  # noqa: E402
from bench.common import machine, write_section  # noqa: E402
from parsers.bulletin import ParsedBulletin, read_document  # noqa: E402
from parsers.metadata import read_metadata  # noqa: E402
from parsers.table_facts import table_to_facts  # noqa: E402
from parsers.periods import Period  # noqa: E402
from parsers.prose import read_prose_facts  # noqa: E402
from warehouse.rows import prepare  # noqa: E402

CODES = Path(__file__).with_name("real_finding_codes.csv")
_PINYIN_GLOSS = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")


def _load_score(corpus: Path):
    spec = importlib.util.spec_from_file_location("real_score", corpus / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _simplified(data: bytes) -> bytes:
    try:
        import opencc
    except ImportError:
        return data
    text = _PINYIN_GLOSS.sub("", data.decode("utf-8"))
    return opencc.OpenCC("t2s").convert(text).encode("utf-8")


def _truth_codes() -> dict[str, str]:
    with CODES.open(encoding="utf-8") as fh:
        return {row["truth"]: row["code"] for row in csv.DictReader(fh)}


def _rows(corpus: Path, truth: dict) -> tuple[list[dict], list[dict]]:
    path = corpus / "docs" / truth["file"]
    doc = read_document(_simplified(path.read_bytes()), str(path))
    tb = truth["bulletin"]
    period = Period(tb["period_year"], tb["period_quarter"])
    meta = dataclasses.replace(read_metadata(doc), city=tb["city"], period=period)
    tables = [table_to_facts(t, i, period) for i, t in enumerate(doc.tables, start=1)]
    prose = read_prose_facts(doc, period)
    parsed = ParsedBulletin(doc, meta, tables, prose.statistics, prose.findings,
                            other_statistics=prose.other_statistics, unit_counts=prose.unit_counts)
    prepared = prepare(parsed, str(path))
    return prepared.bulletin_statistics, prepared.unit_findings


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--misses", action="store_true")
    ap.add_argument("--write", action="store_true", help="replace the section in BENCHMARKS.md")
    args = ap.parse_args(argv)
    corpus = find_corpus()
    if corpus is None:
        print("no ../shared/real corpus beside the checkout")
        return 1
    score = _load_score(corpus)
    codes = _truth_codes()
    totals = dict(s_hit=0, s_tot=0, wrong=0, m_match=0, m_pred=0, m_truth=0, r_match=0, r_pred=0, r_truth=0)
    kept = {"statistic": [0, 0], "finding": [0, 0]}
    for truth in score.load_truth(str(corpus)):
        city = truth["bulletin"]["city"]
        srows, frows = _rows(corpus, truth)
        hit, tot, _, _, smiss = score.score_stats(truth, srows)
        totals["s_hit"] += hit
        totals["s_tot"] += tot
        known = {s["statistic"] for s in truth["statistics"]} | {"pass_rate", "spot_check_rate", "reply_rate"}
        wrong = []
        for row in srows:
            if row["statistic"] not in known:
                continue
            same = [s for s in truth["statistics"] if s["statistic"] == row["statistic"]]
            if not any(score.close(row["value"], s["value"], score.is_rate(s["statistic"])) for s in same):
                wrong.append(row)
        totals["wrong"] += len(wrong)
        # score.py's own findings measure (codes outside the truth's vocabulary count as extras)
        raw = [r for r in frows if not str(r["finding"]).startswith("other")]
        rm, rp, rt = score.score_findings(truth, raw, city)
        totals["r_match"] += rm
        totals["r_pred"] += rp
        totals["r_truth"] += rt
        # mapped: the truth's other: findings under our codes; rows naming no unit are not scored
        mapped = dict(truth, findings=truth["findings"] + [
            dict(f, finding=codes[f["finding"]]) for f in truth["outside"]["findings"]
            if codes.get(f["finding"], "other") != "other"])
        named = [r for r in frows if (r.get("unit_name") or r.get("unit_raw")) and r["finding"] != "other"]
        mm, mp, mt = score.score_findings(mapped, named, city)
        totals["m_match"] += mm
        totals["m_pred"] += mp
        totals["m_truth"] += mt
        for kind, code, ok in score.score_outside(truth, [], srows, frows, city):
            if kind in kept:
                kept[kind][0] += 1
                kept[kind][1] += bool(ok)
        print(f"{truth['file']:40s} stats {hit}/{tot}  findings {mm}/{mt} ({mp} predicted)  wrong {len(wrong)}")
        for row in wrong:
            print(f"    WRONG VALUE: {row['statistic']} = {row['value']} ({row['label']}) in {row['sentence'][:80]}")
        if args.misses:
            for s in smiss:
                print(f"    stat missed: {s['statistic']} {s['period_year']}Q{s['period_quarter']} = {s['value']}")
            for kind, code, ok in score.score_outside(truth, [], srows, frows, city):
                if not ok and kind != "metric":
                    print(f"    not kept: {kind} {code}")
            truth_keys = {(f["unit_function"] or score.unit_ck(f["unit_name"], city), f["finding"]) for f in mapped["findings"]}
            for r in named:
                key = (r["unit_function"] or score.unit_ck(r["unit_name"] or r["unit_raw"], city), r["finding"])
                if key not in truth_keys:
                    print(f"    extra finding: {r['unit_raw']} [{key[0]}] {r['finding']}")
            got = {(r["unit_function"] or score.unit_ck(r["unit_name"] or r["unit_raw"], city), r["finding"]) for r in named}
            for f in mapped["findings"]:
                key = (f["unit_function"] or score.unit_ck(f["unit_name"], city), f["finding"])
                if key not in got:
                    print(f"    missed finding: {f['unit_raw']} [{key[0]}] {f['finding']}")
    P, R, F = score.prf(totals["m_match"], totals["m_pred"], totals["m_truth"])
    rP, rR, rF = score.prf(totals["r_match"], totals["r_pred"], totals["r_truth"])
    print("-" * 72)
    print(f"statistics recall (in vocabulary)  {totals['s_hit']}/{totals['s_tot']} = {totals['s_hit'] / totals['s_tot']:.3f}")
    print(f"wrong-valued statistics            {totals['wrong']}")
    print(f"findings P/R/F1, truth mapped      {P:.3f} / {R:.3f} / {F:.3f}  ({totals['m_match']} of {totals['m_truth']}, {totals['m_pred']} predicted)")
    print(f"findings P/R/F1, score.py codes    {rP:.3f} / {rR:.3f} / {rF:.3f}  ({totals['r_match']} of {totals['r_truth']}, {totals['r_pred']} predicted)")
    for kind, (n, k) in kept.items():
        print(f"other: {kind}s kept anywhere      {k}/{n} = {k / n if n else 1:.3f}")
    print(json.dumps({"stats_recall": totals["s_hit"] / totals["s_tot"], "wrong": totals["wrong"], "findings_f1": F,
                      "kept": {k: v[1] / v[0] for k, v in kept.items() if v[0]}}))
    if args.write:
        write_section(HEADING, _section(totals, (P, R, F), (rP, rR, rF), kept))
    return 0


HEADING = "## Prose reader on the real bulletins (../shared/real)"


def _section(totals: dict, mapped: tuple, raw: tuple, kept: dict) -> str:
    from datetime import date

    def k(kind):
        n, got = kept[kind]
        return f"{got}/{n} = {got / n:.3f}"

    return "\n".join([
        HEADING, "",
        f"Measured {date.today().isoformat()} on {machine()} with `python bench/bench_prose.py --write`: "
        "each real bulletin parsed with the truth's city and headline period (metadata is another reader's "
        "job), traditional script converted with OpenCC when installed, scored with `score.py`'s own matchers.",
        "",
        "| measure | before (e8d3467) | now |", "|---|---|---|",
        f"| statistics recall, in vocabulary | 7/46 = 0.152 | {totals['s_hit']}/{totals['s_tot']} = {totals['s_hit'] / totals['s_tot']:.3f} |",
        f"| wrong-valued statistics | 1 | {totals['wrong']} |",
        f"| findings P / R / F1, truth `other:` mapped to our codes (`bench/real_finding_codes.csv`) | 0 / 0 / 0 | "
        f"{mapped[0]:.3f} / {mapped[1]:.3f} / {mapped[2]:.3f} ({totals['m_match']} of {totals['m_truth']}, {totals['m_pred']} predicted) |",
        f"| findings P / R / F1, score.py as is (our new codes count as extras) | 0 / 0 / 0 | "
        f"{raw[0]:.3f} / {raw[1]:.3f} / {raw[2]:.3f} ({totals['r_match']} of {totals['r_truth']}, {totals['r_pred']} predicted) |",
        f"| `other:` statistics kept anywhere | 10/83 = 0.120 | {k('statistic')} |",
        f"| `other:` findings kept anywhere | 0/106 = 0.000 | {k('finding')} |",
        "",
    ])


if __name__ == "__main__":
    sys.exit(main())
