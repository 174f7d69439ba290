"""导出: a stored form as the official form (xlsx, docx, pdf) with its findings, and the
findings list (审核意见) of one form or of every form the list shows."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response

from jixiao import services
from jixiao.domain.workflow import Actor, Invalid
from jixiao.storage.unit_of_work import UnitOfWork
from jixiao.storage.views import MAX_PAGE_SIZE
from jixiao.web.deps import CurrentUser, RecordId, UowDep
from jixiao.web.routes.forms import filters_from

router = APIRouter(include_in_schema=False)
MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


@router.get("/exports/forms/{form_id}.{to}")
def export_form(form_id: RecordId, to: str, user: CurrentUser, uow: UowDep) -> Response:
    fmt = _format(to)
    summary = services.get_form(uow, user, form_id).summary
    with tempfile.TemporaryDirectory(prefix="jixiao-export-") as directory:
        path = services.export_form(uow, user, form_id, fmt, Path(directory) / f"form.{fmt}")
        content = path.read_bytes()
    name = f"{services.safe_file_name(summary.project_name)}-{summary.year}-第{summary.version}版.{fmt}"
    return download(content, fmt, name)


@router.get("/exports/forms/{form_id}/findings.{to}")
def export_form_findings(form_id: RecordId, to: str, user: CurrentUser, uow: UowDep) -> Response:
    fmt = _format(to)
    summary = services.get_form(uow, user, form_id).summary
    content = _findings(uow, user, [form_id], fmt)
    return download(content, fmt, f"审核意见-{services.safe_file_name(summary.project_name)}-{summary.year}.{fmt}")


@router.get("/exports/findings.{to}")
def export_listed_findings(request: Request, to: str, user: CurrentUser, uow: UowDep) -> Response:
    """The findings of every form the list shows with the same filters (all its pages)."""
    fmt = _format(to)
    filters = replace(filters_from(request.query_params), page=1, page_size=MAX_PAGE_SIZE)
    form_ids: list[int] = []
    while True:
        page = services.list_forms(uow, user, filters)
        form_ids.extend(item.id for item in page.items)
        if filters.page >= page.pages or len(form_ids) > services.EXPORT_FORMS_LIMIT:
            break
        filters = replace(filters, page=filters.page + 1)
    return download(_findings(uow, user, form_ids, fmt), fmt, f"审核意见-{len(form_ids)}张表.{fmt}")


def _findings(uow: UnitOfWork, user: Actor, form_ids: list[int], fmt: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix="jixiao-export-") as directory:
        return services.export_findings(uow, user, form_ids, fmt, Path(directory) / f"findings.{fmt}").read_bytes()


def _format(to: str) -> str:
    if to not in MEDIA_TYPES:
        raise Invalid(f"导出格式应为 {', '.join(MEDIA_TYPES)}，不是“{to}”")
    return to


def download(content: bytes, fmt: str, name: str) -> Response:
    """A file to save, its Chinese name in RFC 6266 form (and an ASCII fallback for old clients)."""
    disposition = f"attachment; filename=\"jixiao.{fmt}\"; filename*=UTF-8''{quote(name)}"
    return Response(content, media_type=MEDIA_TYPES[fmt], headers={"Content-Disposition": disposition})
