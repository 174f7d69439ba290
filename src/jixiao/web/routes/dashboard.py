"""统计: one year's picture for the units a user sees — scores, grades, execution rate by
unit, the most frequent findings and the forms that need attention. The charts (ECharts,
static/app.js) draw the JSON that `/api/dashboard` answers, written into the page so that
opening it adds the year up once; the tables below them are the same numbers for reading
and printing."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import Response

from jixiao import services
from jixiao.web.deps import CurrentUser, UowDep
from jixiao.web.rendering import render
from jixiao.web.schemas import DashboardOut
from jixiao.web.routes.forms import int_or_none

router = APIRouter(include_in_schema=False)


@router.get("/dashboard")
def dashboard_page(request: Request, user: CurrentUser, uow: UowDep) -> Response:
    years = services.form_years(uow, user)
    year = int_or_none(request.query_params.get("year")) or (years[0] if years else date.today().year)
    unit_id = int_or_none(request.query_params.get("unit"))
    board = services.dashboard(uow, user, year, unit_id)
    organisations = services.unit_choices(uow, user, unit_id)
    return render(
        request,
        "dashboard.html",
        user=user,
        board=board,
        chart_data=DashboardOut.of(board).model_dump(mode="json"),
        year=year,
        years=years,
        unit_id=unit_id,
        organisations=organisations,
    )
