"""Assemble the analyst's report: queries → charts → one self-contained HTML file.

The HTML carries its charts as inline SVG and its style inline, so it opens
offline and asks the network for nothing. The same charts can be written as
PNG files for slides, and the page printed to PDF by headless Chromium.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
from jinja2 import Environment, FileSystemLoader, select_autoescape

from . import charts, queries
from .scope import Scope, period_label, short_label

TEMPLATES = Path(__file__).resolve().parent / "templates"
RATE_METRICS = {"adoption_rate", "reply_rate"}


class ReportError(Exception):
    """The report could not be made; the message says what to do."""


@dataclass
class Report:
    html: str
    charts: dict[str, dict] = field(default_factory=dict)  # file stem -> Vega-Lite spec


def fmt(value, metric: str | None = None) -> str:
    """Given a figure, return it as the report prints it: rates as percentages, whole numbers without decimals."""
    if value is None:
        return "—"
    if metric in RATE_METRICS:
        return f"{value * 100:.1f}%"
    if isinstance(value, float) and value.is_integer():
        return f"{int(value)}"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]))
    env.filters["fmt"] = fmt
    env.filters["period"] = lambda key: period_label(key) if key else "—"
    env.filters["short"] = lambda key: short_label(key) if key else "—"
    env.filters["change"] = lambda v, metric=None: charts.change_label(v, metric in RATE_METRICS)
    env.filters["pct"] = lambda v: "—" if v is None else f"{v * 100:.0f}%"
    return env


def build_report(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    *,
    warehouse_label: str,
    metric: str | None = None,
    units: list[str] | None = None,
    function: str | None = None,
) -> Report:
    """Given a read-only connection and a scope, return the report's HTML and its chart specs."""
    if not queries.relation_columns(con, "city_quarter"):
        raise ReportError("the warehouse has no models yet; run `tongbao models` (or ingest bulletins) first")
    cities, periods = queries.cities_and_periods(con, scope)
    if not cities:
        raise ReportError("nothing in the warehouse matches this city and period; see `tongbao status`")
    specs: dict[str, dict] = {}
    svgs: dict[str, str] = {}

    def chart(name: str, spec: dict) -> str:
        specs[name] = spec
        svgs[name] = charts.to_svg(spec)
        return name

    ranked = queries.rankings(con, scope)
    ranking_views = []
    for i, r in enumerate(ranked, 1):
        name = chart(f"ranking_{i:02d}_{r.kind}", charts.ranking_chart(r, r.metric in RATE_METRICS))
        ranking_views.append({"ranking": r, "chart": name})

    trend_views = []
    for city in cities:  # each city's lines: the units asked for, else its first ranking's top units
        first = next((r for r in ranked if r.city == city and (metric is None or r.metric == metric)), None)
        city_metric = metric or (first.metric if first else None)
        if city_metric is None:
            continue
        points = queries.trend_lines(con, Scope((city,), scope.first, scope.last), city_metric,
                                     units=units, function=function, ranked=[first] if first else [])
        if not points:
            continue
        view = {"city": city, "metric": city_metric, "metric_label": queries.metric_label(city_metric),
                "points": points, "table": _pivot(points)}
        if any(p["value"] is not None for p in points):
            view["chart"] = chart(f"trend_{len(trend_views) + 1:02d}", charts.trend_chart(
                city, view["metric_label"], points, city_metric in RATE_METRICS))
        trend_views.append(view)

    comparison_metric = metric if metric and metric in queries.relation_columns(con, "function_comparison") else \
        queries.comparison_metric(con, scope)
    comparison = queries.comparison(con, scope, comparison_metric) if comparison_metric else None
    if comparison and comparison["rows"]:
        names: dict[str, str] = {}
        for row in comparison["rows"]:
            names.setdefault(row["unit_function"], row["unit_name"])
        comparison["function_names"] = names
        comparison["chart"] = chart("comparison", charts.comparison_chart(comparison, names))
        comparison["table"] = _comparison_table(comparison)

    coverage = _complete_grid(queries.coverage(con, scope), cities)
    coverage_chart = chart("coverage", charts.coverage_chart(coverage)) if coverage else None
    for cell in coverage:
        cell["status"] = charts.coverage_status(cell)

    found = queries.findings(con, scope)
    cities_text, period_text = scope.describe(cities, periods)
    context = {
        "title": f"{cities_text}政府网站工作通报分析({period_text})",
        "cities": cities_text,
        "period": period_text,
        "generated_at": datetime.now().strftime("%Y-%m-%d %H:%M"),
        "warehouse": warehouse_label,
        "sources": queries.sources(con, scope),
        "rankings": ranking_views,
        "trends": trend_views,
        "trend_request": {"units": units, "function": function},
        "comparison": comparison,
        "zero_reports": queries.zero_reports(con, scope),
        "criticised": found["criticism"],
        "praised": found["praise"],
        "disagreements": queries.disagreements(con, scope),
        "copies": queries.copies(con, scope),
        "coverage": coverage,
        "coverage_chart": coverage_chart,
        "rejections": queries.rejections(con),
        "svg": svgs,
        "rate_metrics": RATE_METRICS,
    }
    html = _environment().get_template("report.html.j2").render(**context)
    return Report(html=html, charts=specs)


def _complete_grid(cells: list[dict], cities: list[str]) -> list[dict]:
    """Given city_quarter's cells, add the quarters of the report's range a city
    has no row for (before its first bulletin or after its last) as missing."""
    if not cells:
        return cells
    index = [(c["period_key"] // 10) * 4 + c["period_key"] % 10 - 1 for c in cells]
    keys = [(i // 4) * 10 + i % 4 + 1 for i in range(min(index), max(index) + 1)]
    have = {(c["city"], c["period_key"]) for c in cells}
    missing = [{"city": city, "period_key": key, "is_gap": True, "gap_reason": "no_bulletin", "bulletins": 0,
                "units_listed": 0, "reconciliation_disagreements": 0}
               for city in cities for key in keys if (city, key) not in have]
    return sorted(cells + missing, key=lambda c: (c["city"], c["period_key"]))


def _pivot(points: list[dict]) -> dict:
    """Given trend rows, return {periods: [...], units: [(unit, [value per period])]} for the table under the chart."""
    periods = sorted({p["period_key"] for p in points})
    values: dict[str, dict[int, float]] = defaultdict(dict)
    for p in points:
        values[p["unit_name"]][p["period_key"]] = p["value"]
    return {"periods": periods, "units": [(u, [v.get(k) for k in periods]) for u, v in values.items()]}


def _comparison_table(comparison: dict) -> dict:
    """Given comparison(), return {cities: [...], functions: [(name, {city: row})]} for the side-by-side table."""
    cities = sorted({r["city"] for r in comparison["rows"]})
    by_function: dict[str, dict[str, dict]] = defaultdict(dict)
    for r in comparison["rows"]:
        by_function[r["unit_function"]][r["city"]] = r
    ordered = sorted(by_function.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    return {"cities": cities, "functions": [(comparison["function_names"][f], per_city) for f, per_city in ordered]}


def write_report(report: Report, output: Path) -> Path:
    """Write the HTML (temporary name, then rename, so a browser never opens half a file)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    temporary = output.with_name(f".{output.name}.tmp")
    temporary.write_text(report.html, encoding="utf-8")
    os.replace(temporary, output)
    return output


def write_pngs(report: Report, folder: Path, scale: float = 2.0) -> list[Path]:
    """Write every chart as a PNG (for slides) into `folder`; return the files."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, spec in report.charts.items():
        path = folder / f"{name}.png"
        path.write_bytes(charts.to_png(spec, scale=scale))
        written.append(path)
    return written


CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync")


def find_chromium() -> str | None:
    """Return the path of a Chromium or Chrome on PATH ($TONGBAO_CHROMIUM first), or None."""
    for name in (os.environ.get("TONGBAO_CHROMIUM"),) + CHROMIUM_NAMES:
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def write_pdf(html_path: Path, pdf_path: Path, timeout_s: float = 120) -> Path:
    """Print the report to PDF with headless Chromium (a fresh profile, no network services)."""
    browser = find_chromium()
    if browser is None:
        raise ReportError("PDF export needs Chromium: apt-get install chromium (or set $TONGBAO_CHROMIUM); "
                          "the HTML report and --png charts need nothing more")
    with tempfile.TemporaryDirectory(prefix="tongbao-chromium-") as profile:
        command = [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--no-pdf-header-footer",
                   f"--print-to-pdf={pdf_path.resolve()}", html_path.resolve().as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout_s)
        except subprocess.TimeoutExpired as exc:
            raise ReportError(f"Chromium did not finish printing the PDF in {timeout_s:g}s") from exc
    if done.returncode != 0 or not pdf_path.exists():
        raise ReportError(f"Chromium could not print the PDF (exit {done.returncode}): {done.stderr.strip()[-300:]}")
    return pdf_path
