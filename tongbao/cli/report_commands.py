"""What an analyst looks at: `tongbao report`, `tongbao review`, `tongbao snapshot`.

`report` writes a self-contained HTML report (and optionally PNG charts and a
PDF) from the read-only snapshot; `review` serves the review page on
127.0.0.1 and applies each decision; `snapshot` publishes the snapshot of a
warehouse made before tongbao kept one.
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from .app import app, console
from .common import read_only as _read_only, settings_for as _settings
from .errors import EXIT_BUSY, EXIT_MISUSE, errors_exit, fail
from .options import WarehouseOption


@app.command()
def report(
    warehouse: Optional[Path] = WarehouseOption,
    city: Optional[List[str]] = typer.Option(None, "--city", help="A city to report on (repeat for several; default all)."),
    period: Optional[str] = typer.Option(None, "--period", help="One period: 2021Q3, or 2021 for the whole year."),
    first: Optional[str] = typer.Option(None, "--from", help="First period of a range, e.g. 2021Q1."),
    last: Optional[str] = typer.Option(None, "--to", help="Last period of a range, e.g. 2021Q4."),
    metric: Optional[str] = typer.Option(None, "--metric", help="Metric for the trends and the cross-city comparison "
                                         "(submitted, adopted, adoption_rate, score, updates, messages_received, reply_rate)."),
    unit: Optional[List[str]] = typer.Option(None, "--unit", help="A unit (canonical name) whose trend to draw; repeatable."),
    function: Optional[str] = typer.Option(None, "--function", help="A catalog code (public_security …): its trend in every city."),
    output: Path = typer.Option(Path("report.html"), "--output", "-o", help="HTML file to write."),
    png: Optional[Path] = typer.Option(None, "--png", help="Also write every chart as a PNG into this folder (for slides)."),
    pdf: Optional[Path] = typer.Option(None, "--pdf", help="Also print the report to this PDF (needs Chromium)."),
) -> None:
    """Write a self-contained HTML report (in Chinese): rankings, trends, cross-city percentiles, problem units, checks, coverage."""
    from report.render import build_report, write_pdf, write_pngs, write_report
    from report.scope import Scope

    METRICS = ("submitted", "adopted", "adoption_rate", "score", "updates", "messages_received", "messages_replied", "reply_rate")
    if metric is not None and metric not in METRICS:
        fail(f"unknown metric {metric!r}; use one of {', '.join(METRICS)}", EXIT_MISUSE)
    with errors_exit("ScopeError"):
        scope = Scope.from_options(city, period, first, last)
    settings = _settings(warehouse)
    with _read_only(settings) as con, errors_exit("ReportError"):
        built = build_report(con, scope, warehouse_label=str(settings.warehouse), metric=metric, units=unit, function=function)
    write_report(built, output)
    console.print(f"wrote {output} ({len(built.charts)} charts)")
    if png:
        console.print(f"wrote {len(write_pngs(built, png))} PNG charts to {png}/")
    if pdf:
        with errors_exit("ReportError"):
            write_pdf(output, pdf)
        console.print(f"wrote {pdf}")


@app.command()
def review(
    warehouse: Optional[Path] = WarehouseOption,
    port: int = typer.Option(8765, "--port", help="Port on 127.0.0.1 (0: any free one)."),
) -> None:
    """Serve the review page on 127.0.0.1: unit names, unmapped headers, duplicates; each decision is written and applied."""
    from report.review_server import ReviewSite, make_server

    settings = _settings(warehouse)
    if not settings.warehouse.exists():
        fail(f"no warehouse at {settings.warehouse}; run `tongbao ingest PATH…` first.", EXIT_BUSY)
    site = ReviewSite(settings.warehouse, settings.lock_wait_s)
    try:
        server = make_server(site, port)
    except OSError as exc:
        fail(f"cannot listen on 127.0.0.1:{port}: {exc}; try --port 0", EXIT_MISUSE)
    console.print(f"review page: http://127.0.0.1:{server.server_address[1]}/  (decisions go to {site.aliases.name} and {site.vocabulary.name} beside the warehouse; Ctrl-C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@app.command()
def snapshot(warehouse: Optional[Path] = WarehouseOption) -> None:
    """Publish the read-only snapshot readers open (done after every ingest, back-fill and model rebuild)."""
    from warehouse.connection import open_warehouse
    from warehouse.snapshot import publish_snapshot

    settings = _settings(warehouse)
    if not settings.warehouse.exists():
        fail(f"no warehouse at {settings.warehouse}; run `tongbao ingest PATH…` first.", EXIT_BUSY)
    with errors_exit("WarehouseError"):
        with open_warehouse(settings.warehouse, wait_s=settings.lock_wait_s) as con:
            done = publish_snapshot(con, settings.warehouse)
    console.print(f"published {done['path']} ({done['bytes'] / 1024 / 1024:.1f} MiB in {done['seconds']:.2f}s)")
