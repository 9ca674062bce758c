"""One run summary, rendered for people: a Prefect artifact and CLI tables.

Kept free of Prefect and Rich so the CLI, the flows and tests share it.
"""

from __future__ import annotations

STATUSES = ("loaded", "replaced", "skipped", "rejected")
PHASES = ("fetch", "store", "plan", "parse", "load", "units", "models", "snapshot", "total")


def count_rows(summary: dict) -> list[tuple[str, int]]:
    """Given a run summary, return (outcome, count) rows, rejections split by reason."""
    counts = summary.get("counts", {})
    rows = [(status, counts.get(status, 0)) for status in STATUSES if status != "rejected"]
    skipped = {}
    for f in summary.get("files", []):
        if f["status"] == "skipped":
            skipped[f["reason"] or "unknown"] = skipped.get(f["reason"] or "unknown", 0) + 1
    rows += [(f"  skipped: {reason}", n) for reason, n in sorted(skipped.items())]
    rows.append(("rejected", counts.get("rejected", 0)))
    rows += [(f"  rejected: {reason}", n) for reason, n in sorted(summary.get("rejected_by_reason", {}).items())]
    return rows


def phase_rows(summary: dict) -> list[tuple[str, float]]:
    """Given a run summary, return (phase, seconds) rows in pipeline order."""
    seconds = summary.get("seconds", {})
    return [(phase, seconds[phase]) for phase in PHASES if phase in seconds]


def runner_note(summary: dict) -> str:
    """Given a run summary, return which runner parsed, and whether the phase
    times overlap (loading in waves while other processes parse)."""
    runner = summary.get("runner")
    if not runner:
        return ""
    if runner == "thread":
        return f"runner: {runner}"
    return f"runner: {runner} (parse and load overlap: the load was written in waves while parsing went on)"


def source_notes(summary: dict) -> list[str]:
    """Given a run summary, return one line per site source read and one for
    the web-page annexes followed (none when the run had neither)."""
    lines = [f"site {s['listing']}: {s['pages_read']} listing page(s), {s['discovered']} article(s) discovered, "
             f"{s['new']} new, {s['skipped']} skipped (already seen)"
             + (f"; {len(s['errors'])} listing error(s)" if s.get("errors") else "")
             for s in summary.get("sites", [])]
    annexes = summary.get("annexes")
    if annexes:
        lines.append(f"annexes: {annexes['linked']} linked, {annexes['stored']} stored, {annexes['failed']} failed "
                     "(a failed annex is a warning on its bulletin)")
    return lines


def summary_markdown(summary: dict, title: str = "tongbao ingest") -> str:
    """Given a run summary, return it as Markdown: outcome counts, time per
    phase, the loaded documents, cells not read as numbers, and the rejected
    documents with what to do about them."""
    lines = [f"# {title}", "", "| outcome | documents |", "|---|---:|"]
    lines += [f"| {name} | {n} |" for name, n in count_rows(summary)]
    lines += ["", "| phase | seconds |", "|---|---:|"]
    lines += [f"| {phase} | {s:.2f} |" for phase, s in phase_rows(summary)]
    if runner_note(summary):
        lines += ["", runner_note(summary)]
    if source_notes(summary):
        lines += [""] + [f"- {_cell(line)}" for line in source_notes(summary)]
    loaded = [f for f in summary.get("files", []) if f["status"] in ("loaded", "replaced")]
    if loaded:
        lines += ["", f"## Loaded documents ({len(loaded)})", "", "| source | outcome |", "|---|---|"]
        lines += [f"| {_cell(f['path'])} | {f['status']} |" for f in loaded[:200]]
        if len(loaded) > 200:
            lines.append(f"\n… and {len(loaded) - 200} more (see `tongbao status`).")
    unreadable = [f for f in summary.get("files", []) if f.get("unreadable")]
    if unreadable:
        lines += ["", f"## Cells not read as numbers ({summary.get('unreadable_cells', 0)}, loaded as NULL)", "",
                  "| source | cells |", "|---|---|"]
        lines += [f"| {_cell(f['path'])} | {_cell('; '.join(f['unreadable'][:10]))} |" for f in unreadable[:200]]
    rejected = [f for f in summary.get("files", []) if f["status"] == "rejected"]
    if rejected:
        lines += ["", "## Rejected documents", "", "| source | reason | what to do |", "|---|---|---|"]
        lines += [f"| {_cell(f['path'])} | {f['reason']} | {_cell(f['message'] or '')} |" for f in rejected[:200]]
        if len(rejected) > 200:
            lines.append(f"\n… and {len(rejected) - 200} more (see `tongbao status`).")
    if summary.get("model_error"):
        lines += ["", f"**Model build failed:** {_cell(summary['model_error'])}"]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")
