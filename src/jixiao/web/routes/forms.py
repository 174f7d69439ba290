"""表单: the list of forms with filters, and the form page — laid out like the paper form,
findings on their rows, cells edited in place, the workflow and the comments.

Every change goes through a service that stores a new version or a decision and writes the
audit log; the page then shows the form re-read from the store (`region`), so what a user
sees after a change is what was stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from jixiao import services
from jixiao.domain.records import cell_place, form_cells, indicator_cells
from jixiao.domain.workflow import Actor, FormStatus, Role
from jixiao.storage.unit_of_work import UnitOfWork
from jixiao.web.deps import MAX_ID, CurrentUser, RecordId, UowDep
from jixiao.web.paper import PlacedFindings, paper_form
from jixiao.web.rendering import is_htmx, render

router = APIRouter(include_in_schema=False)
SORT_COLUMNS = {
    "name": "项目名称",
    "unit": "单位",
    "year": "年度",
    "claimed": "自评得分",
    "total": "复核得分",
    "rate": "执行率",
    "errors": "问题",  # sorted by the errors; warnings and undetermined shown beside them
    "status": "状态",
    "updated": "更新时间",
}
TEXT_LIMIT = 5000  # characters of one cell; the longest narrative in the samples is ~1,200


def filters_from(query: Mapping[str, str]) -> services.FormFilters:
    """The list filters from a query string; blank or malformed values mean "any" (a select's
    empty option sends ``year=``)."""
    sort = query.get("sort") or "-updated"
    return services.FormFilters(
        year=int_or_none(query.get("year")),
        unit_id=int_or_none(query.get("unit")),
        grade=query.get("grade") or None,
        has_errors={"yes": True, "no": False}.get(query.get("errors", "")),
        status=_status(query.get("status")),
        kind=query.get("kind") if query.get("kind") in ("form", "summary") else None,
        search=(query.get("q") or "").strip()[:100] or None,
        sort=sort if sort.lstrip("-") in SORT_COLUMNS else "-updated",
        page=max(int_or_none(query.get("page")) or 1, 1),
    )


def _status(text: str | None) -> FormStatus | None:
    try:
        return FormStatus(text) if text else None
    except ValueError:
        return None


def int_or_none(text: str | None) -> int | None:
    """A whole number a query may hold (an id, a year, a page), None for anything else."""
    text = (text or "").strip()
    if not text.isdecimal():
        return None
    value = int(text)
    return value if value <= MAX_ID else None


@router.get("/forms")
def forms_list(request: Request, user: CurrentUser, uow: UowDep) -> Response:
    filters = filters_from(request.query_params)
    page = services.list_forms(uow, user, filters)
    context = {
        "page": page,
        "filters": filters,
        "query": request.query_params,
        "sort_columns": SORT_COLUMNS,
        "statuses": list(FormStatus),
    }
    if is_htmx(request) and request.headers.get("HX-Target") == "forms-table":
        return render(request, "forms/_table.html", **context)
    years = services.form_years(uow, user)
    organisations = services.unit_choices(uow, user, filters.unit_id)
    return render(request, "forms/list.html", user=user, years=years, organisations=organisations, **context)


@router.get("/forms/{form_id}")
def form_page(request: Request, form_id: RecordId, user: CurrentUser, uow: UowDep) -> Response:
    return render(request, "forms/page.html", **region(uow, user, form_id))


@router.get("/forms/{form_id}/region")
def form_region(request: Request, form_id: RecordId, user: CurrentUser, uow: UowDep) -> Response:
    return render(request, "forms/_region.html", **region(uow, user, form_id))


@router.get("/forms/{form_id}/cells")
def cell_editor(
    request: Request, form_id: RecordId, user: CurrentUser, uow: UowDep, path: Annotated[str, Query(max_length=60)]
) -> Response:
    detail = services.get_form(uow, user, form_id)
    if not detail.editable:
        raise services.Forbidden(f"表的状态为“{detail.summary.status.label}”，{user.role.label}不能修改")
    if path in services.IDENTITY_CELLS:
        raise services.Invalid("项目编码和绩效自评年度决定表属于哪个项目、哪一年，不能修改（请重新导入）")
    try:
        place, text = cell_place(detail.form, path)
    except ValueError as error:
        raise services.Invalid(str(error)) from None
    return render(
        request, "forms/_cell_editor.html", form_id=form_id, path=path, place=place, text=text or "", version=detail.summary.version
    )


@router.post("/forms/{form_id}/cells")
def edit_cell(
    request: Request,
    form_id: RecordId,
    user: CurrentUser,
    uow: UowDep,
    path: Annotated[str, Form(max_length=60)],
    text: Annotated[str, Form(max_length=TEXT_LIMIT)] = "",
    version: Annotated[int | None, Form()] = None,
) -> Response:
    saved = services.edit_cell(uow, user, form_id, path, text, expected_version=version)
    if saved.outcome is services.ImportOutcome.UNCHANGED:
        notice = "内容未改变，没有产生新版本"
    else:
        notice = f"已保存为第{saved.version}版：" + "；".join(change.text for change in saved.changes)
    return after_change(request, uow, user, form_id, notice)


@router.post("/forms/{form_id}/status")
def change_status(
    request: Request,
    form_id: RecordId,
    user: CurrentUser,
    uow: UowDep,
    status: Annotated[str, Form(max_length=20)],
    comment: Annotated[str, Form(max_length=TEXT_LIMIT)] = "",
) -> Response:
    try:
        target = FormStatus(status)
    except ValueError:
        raise services.Invalid(f"没有“{status}”这种状态") from None
    services.change_status(uow, user, form_id, target, comment)
    return after_change(request, uow, user, form_id, f"表的状态已改为“{target.label}”")


@router.post("/forms/{form_id}/comments")
def add_comment(
    request: Request, form_id: RecordId, user: CurrentUser, uow: UowDep, body: Annotated[str, Form(max_length=TEXT_LIMIT)] = ""
) -> Response:
    services.add_comment(uow, user, form_id, body)
    return after_change(request, uow, user, form_id, "意见已添加")


def after_change(request: Request, uow: UnitOfWork, user: Actor, form_id: int, notice: str) -> Response:
    """htmx: the form region re-read from the store; a plain post: back to the page."""
    if is_htmx(request):
        return render(request, "forms/_region.html", notice=notice, **region(uow, user, form_id))
    return RedirectResponse(f"/forms/{form_id}", status_code=303)


def region(uow: UnitOfWork, user: Actor, form_id: int) -> dict[str, Any]:
    """What the form region shows: the stored form, its findings on their rows and in the
    panel, what the user may do, the comments and the versions."""
    detail = services.get_form(uow, user, form_id)
    placed = PlacedFindings.of(detail.findings)
    return {
        "user": user,
        "detail": detail,
        "summary": detail.summary,
        "placed": placed,
        "paper": None if detail.form.is_summary else paper_form(detail, placed),
        # A department summary row has no paper form: its cells are listed instead.
        "summary_cells": list(form_cells(detail.form)) if detail.form.is_summary else [],
        "summary_indicators": [list(indicator_cells(row)) for row in detail.form.indicators] if detail.form.is_summary else [],
        "identity_cells": services.IDENTITY_CELLS,
        "source_name": _file_name(detail.versions[0].source_file if detail.versions else None),
        "audit": services.audit_trail(uow, user, form_id, limit=50),
        "is_reviewer": user.role is not Role.FILLER,
    }


def _file_name(path: str | None) -> str:
    """The uploaded file's own name: uploads are stored under a temporary directory."""
    return path.replace("\\", "/").rsplit("/", 1)[-1] if path else ""
