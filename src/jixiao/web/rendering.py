"""Jinja2 templates and the filters they use to show numbers, rates, times and labels.

Amounts, scores and rates come from the store as Decimal; a page shows them as a reviewer
writes them: 83.60 分, 55.96%, 2026-11-23 17:16 (Beijing time, UTC+8, which has no
daylight saving).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from jixiao.checks.base import Outcome, Severity
from jixiao.domain.workflow import SYSTEM_USER
from jixiao.web.deps import CSRF_FIELD, CSRF_HEADER, csrf_token
from jixiao.writers.findings import OUTCOME_TEXT, SEVERITY_TEXT, shown

BEIJING = timezone(timedelta(hours=8), "北京时间")
GRADES = ("优", "良", "中", "差")
KIND_TEXT = {"form": "自评表", "summary": "部门汇总表"}
CENT = Decimal("0.01")

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")


def score(value: Decimal | float | None) -> str:
    """A score with two decimals (83.60), or — when there is none."""
    if value is None:
        return "—"
    return f"{Decimal(str(value)).quantize(CENT):f}"


def rate(value: Decimal | float | None) -> str:
    """A rate stored as a fraction (0.5596) shown as a percentage (55.96%)."""
    if value is None:
        return "—"
    return f"{(Decimal(str(value)) * 100).quantize(CENT):f}%"


def money(value: Decimal | None) -> str:
    """An amount in 元 with thousands separators."""
    if value is None:
        return "—"
    return f"{value:,.2f}"


def local_time(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")


def severity_class(finding: Any) -> str:
    """The CSS class of a finding: undetermined ones are their own colour, whatever their severity."""
    if Outcome(finding.outcome) is Outcome.UNDETERMINED:
        return "undetermined"
    return Severity(finding.severity).value


def finding_label(finding: Any) -> str:
    if Outcome(finding.outcome) is Outcome.UNDETERMINED:
        return OUTCOME_TEXT[Outcome.UNDETERMINED]
    return SEVERITY_TEXT[Severity(finding.severity)]


def query_with(query: Any, **changes: Any) -> str:
    """The current query string with some parameters changed (None removes one): sort and page links."""
    values = {key: value for key, value in query.items() if value}
    for key, value in changes.items():
        if value is None:
            values.pop(key, None)
        else:
            values[key] = value
    return "?" + urlencode(values) if values else "?"


environment = templates.env
# `tojson` keeps the order the server gives (score bands, grades), as /api/ does; Jinja sorts keys by default.
environment.policies["json.dumps_kwargs"] = {"sort_keys": False}
environment.filters.update(
    score=score,
    rate=rate,
    money=money,
    local_time=local_time,
    severity_class=severity_class,
    finding_label=finding_label,
    shown=shown,
)
environment.globals.update(
    CSRF_FIELD=CSRF_FIELD,
    CSRF_HEADER=CSRF_HEADER,
    GRADES=GRADES,
    KIND_TEXT=KIND_TEXT,
    SYSTEM_USER=SYSTEM_USER,
    csrf_token=csrf_token,
    query_with=query_with,
)


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status_code)
