"""汇总表: a department's summary table (部门预算项目绩效自评表) for one year, drafted from the
stored forms the user sees (docs/summaries.md): a compact preview laid out like the sample,
the count of its findings, execution year over year, and the .xlsx or .docx to download.

The services keep the scope: a 填报人 summarises their own unit only, and a department the
user cannot see is answered "不存在" (404) like a form they cannot see.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from jixiao import services
from jixiao.domain.workflow import Actor, Invalid
from jixiao.storage.unit_of_work import UnitOfWork
from jixiao.web.deps import CurrentUser, UowDep
from jixiao.web.errors import refusal
from jixiao.web.rendering import render
from jixiao.web.routes.exports import download
from jixiao.web.routes.forms import int_or_none
from jixiao.writers.official_form import Role
from jixiao.writers.summary_table import DATA_ROW, HEADER_ROW, summary_sheet

router = APIRouter(include_in_schema=False)
DEFAULT_UNIT = "万元"  # the sample's unit, and the services' default
TREND_YEARS = 3


@dataclass(frozen=True, slots=True)
class SummaryQuery:
    """What the page and its downloads summarise: a year, a department (an organisation id;
    None for everything the user sees) and the amount unit."""

    year: int
    department: int | None
    unit: str

    def params(self) -> dict[str, Any]:
        return {"year": self.year, "department": self.department, "unit": self.unit}


def summary_query(query: Mapping[str, str], years: list[int]) -> SummaryQuery:
    """The query from the URL; blank or malformed values mean the defaults (the latest year
    with forms, all departments, 万元), as the dashboard reads its filters."""
    year = int_or_none(query.get("year")) or (years[0] if years else date.today().year)
    unit = query.get("unit") if query.get("unit") in services.SUMMARY_UNITS else DEFAULT_UNIT
    return SummaryQuery(year, int_or_none(query.get("department")), unit)


@router.get("/summaries")
def summaries_page(request: Request, user: CurrentUser, uow: UowDep) -> Response:
    years = services.form_years(uow, user)
    chosen = summary_query(request.query_params, years)
    try:
        run = _summarise(uow, user, chosen)
    except Invalid as error:
        return refusal(request, 400, str(error))
    return render(
        request,
        "summaries.html",
        user=user,
        chosen=chosen,
        years=years,
        organisations=services.unit_choices(uow, user, chosen.department),
        run=run,
        table_rows=sheet_rows(run),
        findings=sum(len(item.findings) for item in run.reviews),
        errors=sum(1 for item in run.reviews if item.has_errors),
        query=_query_string(chosen),
        trend_years=TREND_YEARS,
        formats=services.SUMMARY_FORMATS,
        units=services.SUMMARY_UNITS,
    )


@router.get("/summaries/trend.json")
def summary_trend(request: Request, user: CurrentUser, uow: UowDep) -> Response:
    """预算支出执行率 of the department's projects over the last three years (the page's chart)."""
    chosen = summary_query(request.query_params, services.form_years(uow, user))
    department = None if chosen.department is None else str(chosen.department)
    trend = services.summary_trend(uow, user, year=chosen.year, department=department, years=TREND_YEARS)
    return JSONResponse(trend.json())


@router.get("/summaries/export.{to}")
def export_summary(request: Request, to: str, user: CurrentUser, uow: UowDep) -> Response:
    if to not in services.SUMMARY_FORMATS:
        raise HTTPException(404)
    chosen = summary_query(request.query_params, services.form_years(uow, user))
    try:
        run = _summarise(uow, user, chosen)
    except Invalid as error:
        return refusal(request, 400, str(error))
    with tempfile.TemporaryDirectory(prefix="jixiao-summary-") as directory:
        content = services.export_summary(run, to, Path(directory) / f"summary.{to}").read_bytes()
    return download(content, to, f"{services.safe_file_name(run.table.title)}.{to}")


def _summarise(uow: UnitOfWork, user: Actor, chosen: SummaryQuery) -> services.SummaryRun:
    department = None if chosen.department is None else str(chosen.department)
    return services.summarise_stored(uow, user, year=chosen.year, department=department, unit=chosen.unit)


def _query_string(chosen: SummaryQuery) -> str:
    return "?" + urlencode({key: value for key, value in chosen.params().items() if value is not None})


@dataclass(frozen=True, slots=True)
class SheetCell:
    text: str
    rows: int
    columns: int
    header: bool
    number: bool


def sheet_rows(run: services.SummaryRun) -> list[list[SheetCell]]:
    """The printed table below its title and unit line (the page shows those as its heading),
    row by row with each merged cell on its anchor: the same cells the .xlsx and .docx
    draw (writers/summary_table.py), so the preview is what the download holds."""
    sheet = summary_sheet(run.table)
    rows: list[list[SheetCell]] = [[] for _ in range(sheet.rows - HEADER_ROW)]
    for cell in sorted(sheet.cells, key=lambda each: (each.row, each.column)):
        if cell.row < HEADER_ROW:
            continue
        rows[cell.row - HEADER_ROW].append(
            SheetCell(
                cell.text,
                cell.span[0],
                cell.span[1],
                header=cell.row < DATA_ROW or cell.role is Role.LABEL,
                number=cell.number is not None,
            )
        )
    return rows
