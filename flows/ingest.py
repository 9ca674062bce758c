"""The ingest flow: parse files in mapped tasks, load them from the flow.

Parsing runs in Prefect tasks (in parallel); loading stays in the flow, a
single writer that opens the warehouse only after parsing is done. This is
the one place where a parser's typed error becomes a rejection.
"""

from __future__ import annotations

import time
from pathlib import Path

from tongbao.settings import Settings, apply_offline_env

apply_offline_env()

from prefect import flow, task, unmapped  # noqa: E402

from parsers.errors import ParseError  # noqa: E402
from parsers.limits import Limits  # noqa: E402
from tongbao.ingest import IngestSummary, Outcome, apply_outcome, plan_ingest, skip_if_loaded_meanwhile  # noqa: E402
from tongbao.pipeline import SourceFile, discover_files, prepare_file  # noqa: E402
from tongbao.progress import REPORTER  # noqa: E402
from tongbao.renormalise import reapply_units  # noqa: E402
from tongbao.units import AliasFileError, default_aliases_path  # noqa: E402
from warehouse.connection import open_warehouse  # noqa: E402
from warehouse.load import loaded_versions  # noqa: E402
from warehouse.models import ModelBuildError, build_models  # noqa: E402


def parse_source(source: SourceFile, limits: Limits) -> Outcome:
    """Given a file to parse, return its outcome: parsed rows or a rejection."""
    try:
        prepared = prepare_file(source.path, limits)
    except ParseError as exc:
        return Outcome(source.path, source.sha256, "rejected", reason=exc.reason, message=exc.message)
    except OSError as exc:
        return Outcome(source.path, source.sha256, "rejected", reason="unreadable",
                       message=f"{source.path} could not be read ({exc}); check that it still exists and is readable.")
    except RecursionError:
        return Outcome(source.path, source.sha256, "rejected", reason="too_complex",
                       message=f"{source.path} is nested too deeply to parse safely.")
    except Exception as exc:  # a parser bug must not stop the other documents
        return Outcome(source.path, source.sha256, "rejected", reason="parser_error",
                       message=f"tongbao failed on {source.path} ({type(exc).__name__}: {exc}); "
                               "this is a bug in tongbao: please report it with the file.")
    return Outcome(source.path, source.sha256, "parsed", prepared=prepared)


@task(name="parse-bulletin", task_run_name="parse {source.path}")
def parse_task(source: SourceFile, limits: Limits) -> Outcome:
    return parse_source(source, limits)


@flow(name="tongbao-ingest", log_prints=True)
def ingest_flow(paths: list[str], warehouse: str | None = None, force: bool = False) -> dict:
    """Ingest bulletin files and folders into the warehouse; return a summary."""
    settings = Settings.from_env(warehouse=warehouse)
    report = REPORTER.get()
    summary = IngestSummary()
    started = time.perf_counter()

    files = discover_files(paths)
    with open_warehouse(settings.warehouse, wait_s=settings.lock_wait_s) as con:
        known = loaded_versions(con)
    plan = plan_ingest(files, known, force)
    summary.outcomes.extend(plan.settled)
    summary.seconds["plan"] = time.perf_counter() - started

    report.start("parse", len(plan.to_parse))
    t0 = time.perf_counter()
    futures = parse_task.map(plan.to_parse, limits=unmapped(settings.limits))
    outcomes = []
    for future in futures:
        outcome = future.result()
        outcomes.append(outcome)
        report.advance("parse", Path(outcome.path).name)
    summary.seconds["parse"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    report.start("load", len(outcomes))
    with open_warehouse(settings.warehouse, wait_s=settings.lock_wait_s) as con:
        # Another run may have loaded some of these while we were parsing.
        loaded_now = {} if force else loaded_versions(con)
        for outcome in outcomes:
            summary.outcomes.append(apply_outcome(con, skip_if_loaded_meanwhile(outcome, loaded_now)))
            report.advance("load", Path(outcome.path).name)
        for outcome in plan.settled:
            if outcome.status == "rejected":
                apply_outcome(con, outcome)
        summary.seconds["load"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        try:
            reapply_units(con, default_aliases_path(settings.warehouse))
        except AliasFileError as exc:
            summary.model_error = str(exc)
        summary.seconds["units"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        try:
            summary.models = build_models(con)
        except ModelBuildError as exc:
            summary.model_error = str(exc)
        summary.seconds["models"] = time.perf_counter() - t0
    summary.seconds["total"] = time.perf_counter() - started
    return summary.as_dict()
