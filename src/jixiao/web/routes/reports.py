"""评价报告: draft a department's evaluation report (绩效评价报告) for one year from the stored
forms the user sees (docs/reports.md), with the evaluator's judgement and optional funds
typed in as YAML, and download it as .docx or PDF.

The page's judgement box starts as the template `jixiao report --template` prints: every
scoring point marked `met`. An invalid judgement or funds text is answered 400 with every
problem listed, so the evaluator can correct them all at once.
"""

from __future__ import annotations

import tempfile
from base64 import b64encode
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import yaml
from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from jixiao import services
from jixiao.domain.workflow import Actor
from jixiao.storage.unit_of_work import UnitOfWork
from jixiao.web.deps import CurrentUser, UowDep
from jixiao.web.rendering import render
from jixiao.web.routes.exports import download
from jixiao.web.routes.forms import int_or_none

router = APIRouter(include_in_schema=False)
# A judgement file lists ~60 scoring points in ~5 KB; anything far larger is no judgement.
YAML_LIMIT = 100_000


class EvaluatorInputError(Exception):
    """The judgement or funds text could not be used: `problems` names each place."""

    def __init__(self, problems: tuple[str, ...]) -> None:
        super().__init__("；".join(problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class ReportRequest:
    """What the evaluator typed: the year and department (an organisation id, or None for all
    they see) and the two YAML texts, kept as typed so the page shows them again."""

    year: int
    department: int | None
    judgement: str
    funds: str


@router.get("/reports")
def reports_page(request: Request, user: CurrentUser, uow: UowDep) -> Response:
    years = services.form_years(uow, user)
    year = int_or_none(request.query_params.get("year")) or (years[0] if years else date.today().year)
    asked = ReportRequest(year, int_or_none(request.query_params.get("department")), services.judgement_file_template(), "")
    return _page(request, user, uow, asked, years)


@router.post("/reports")
def draft_report(
    request: Request,
    user: CurrentUser,
    uow: UowDep,
    year: Annotated[str, Form()] = "",
    department: Annotated[str, Form()] = "",
    judgement: Annotated[str, Form()] = "",
    funds: Annotated[str, Form()] = "",
) -> Response:
    years = services.form_years(uow, user)
    asked = _request(year, department, judgement, funds, years)
    try:
        draft = _draft(uow, user, asked)
    except EvaluatorInputError as error:
        return _page(request, user, uow, asked, years, problems=error.problems, status_code=400)
    images = {key: "data:image/png;base64," + b64encode(png).decode("ascii") for key, png in services.report_images(draft).items()}
    return _page(request, user, uow, asked, years, draft=draft, images=images)


@router.post("/reports/export.{to}")
def export_report(
    request: Request,
    to: str,
    user: CurrentUser,
    uow: UowDep,
    year: Annotated[str, Form()] = "",
    department: Annotated[str, Form()] = "",
    judgement: Annotated[str, Form()] = "",
    funds: Annotated[str, Form()] = "",
) -> Response:
    if to not in services.REPORT_FORMATS:
        raise HTTPException(404)
    years = services.form_years(uow, user)
    asked = _request(year, department, judgement, funds, years)
    try:
        draft = _draft(uow, user, asked)
    except EvaluatorInputError as error:
        return _page(request, user, uow, asked, years, problems=error.problems, status_code=400)
    with tempfile.TemporaryDirectory(prefix="jixiao-report-") as directory:
        content = services.write_report(draft, to, Path(directory) / f"report.{to}").read_bytes()
    return download(content, to, f"{services.safe_file_name(draft.report.title)}.{to}")


def _request(year: str, department: str, judgement: str, funds: str, years: list[int]) -> ReportRequest:
    chosen = int_or_none(year) or (years[0] if years else date.today().year)
    return ReportRequest(chosen, int_or_none(department), judgement, funds)


def _draft(uow: UnitOfWork, user: Actor, asked: ReportRequest) -> services.ReportDraft:
    """The draft, or EvaluatorInputError listing every problem of both texts."""
    problems: list[str] = []
    judgement = funds = None
    try:
        judgement = services.parse_judgement(_mapping(asked.judgement, "评分"))
    except services.ReportInputError as error:
        problems += [f"评分：{problem}" for problem in error.problems]
    if asked.funds.strip():
        try:
            funds = services.parse_funds(_mapping(asked.funds, "资金"))
        except services.ReportInputError as error:
            problems += [f"资金：{problem}" for problem in error.problems]
    if problems:
        raise EvaluatorInputError(tuple(problems))
    department = None if asked.department is None else str(asked.department)
    return services.draft_stored_report(uow, user, year=asked.year, department=department, judgement=judgement, funds=funds)


def _mapping(text: str, what: str) -> Any:
    """The YAML text as data; ReportInputError naming the line of a syntax error. A blank
    judgement is an empty one: every judged indicator is left to the evaluator."""
    if len(text) > YAML_LIMIT:
        raise services.ReportInputError(what, [f"内容过长（超过{YAML_LIMIT}个字符）"])
    if not text.strip():
        return {}
    try:
        return yaml.safe_load(text)
    except (yaml.YAMLError, RecursionError) as error:  # nesting thousands deep exhausts the parser's stack
        mark = getattr(error, "problem_mark", None)
        raise services.ReportInputError(what, [f"第{mark.line + 1}行：YAML 格式错误" if mark else "YAML 格式错误"]) from None


def _page(
    request: Request,
    user: Actor,
    uow: UnitOfWork,
    asked: ReportRequest,
    years: list[int],
    *,
    draft: services.ReportDraft | None = None,
    images: dict[str, str] | None = None,
    problems: tuple[str, ...] = (),
    status_code: int = 200,
) -> Response:
    results = {item.indicator.name: item for item in draft.assessment.results} if draft else {}
    return render(
        request,
        "reports.html",
        status_code,
        user=user,
        asked=asked,
        years=years,
        organisations=services.unit_choices(uow, user, asked.department),
        draft=draft,
        results=results,
        images=images or {},
        problems=problems,
        formats=services.REPORT_FORMATS,
    )
