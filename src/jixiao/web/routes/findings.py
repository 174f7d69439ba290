"""审核问题: a reviewer accepts a finding, dismisses it with a reason, or reopens it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from jixiao import services
from jixiao.domain.workflow import FindingState
from jixiao.web.deps import CurrentUser, RecordId, UowDep
from jixiao.web.routes.forms import TEXT_LIMIT, after_change

router = APIRouter(include_in_schema=False)
NOTICES = {FindingState.ACCEPTED: "已确认问题", FindingState.DISMISSED: "已驳回问题", FindingState.OPEN: "已重新打开问题"}


@router.post("/forms/{form_id}/findings/{finding_id}")
def decide_finding(
    request: Request,
    form_id: RecordId,
    finding_id: RecordId,
    user: CurrentUser,
    uow: UowDep,
    state: Annotated[str, Form(max_length=20)],
    reason: Annotated[str, Form(max_length=TEXT_LIMIT)] = "",
) -> Response:
    """The form in the URL is the page to show again; the service checks the finding itself."""
    try:
        decision = FindingState(state)
    except ValueError:
        raise services.Invalid(f"没有“{state}”这种处理结果") from None
    finding = services.decide_finding(uow, user, finding_id, decision, reason)
    return after_change(request, uow, user, form_id, f"{NOTICES[decision]} {finding.code}")
