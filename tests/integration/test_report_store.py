"""Evaluation reports of stored forms: a department's year, within the viewer's scope, with the
earlier years the store holds drawn year over year (services.draft_stored_report)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import sample
from storage_conftest import (  # noqa: F401  (fixtures)
    database_url,
    edited_copy,
    imported,
    lines_of,
    postgres_databases,
    postgres_template,
    sqlite_template,
    store,
    system,
)

from jixiao import services
from jixiao.domain.workflow import NotFound

LUOHU_2022 = "luohu-district-office-2022.txt"
LUOHU_BUREAU = "深圳市罗湖区文化广电旅游体育局"
LUOHU_OFFICE = "深圳市罗湖区委（政府）办本级"


def test_a_stored_year_of_one_department_is_drafted_from_its_eight_forms(store, system):
    imported(store, system, sample(LUOHU_2022), sample("luohu-culture-bureau-2021.txt"))

    draft = services.draft_stored_report(store.unit_of_work(), system, year=2022, department=LUOHU_OFFICE)

    assert draft.report.organisation == LUOHU_OFFICE
    assert len(draft.report.categories) == len(draft.reviews) == 8
    # Σ 全年执行数 4,685,703.66 ÷ Σ 全年预算数 5,645,850 of the eight forms = 82.99%
    assert draft.assessment.result("预算执行率").achieved == "82.99%"
    assert draft.report.history == ()  # no earlier year of this department in the store


def test_an_earlier_stored_year_is_drawn_year_over_year(store, system, tmp_path):
    # 干部健康管理 (lines 1–28) as filed for 2022, and a copy for 2021 that spent 54000 of 108000
    this_year = lines_of(sample(LUOHU_2022), tmp_path / "2022.txt", 1, 28)
    last_year = edited_copy(this_year, tmp_path / "2021a.txt", 5, 5, "2022", "2021")
    last_year = edited_copy(last_year, tmp_path / "2021.txt", 9, 4, "64531", "54000")
    imported(store, system, this_year, last_year)

    draft = services.draft_stored_report(store.unit_of_work(), system, year=2022, department=LUOHU_OFFICE)

    assert [(y.year, y.budget, y.spent, y.forms) for y in draft.report.history] == [
        (2021, Decimal("108000"), Decimal("54000"), 1),
        (2022, Decimal("108000"), Decimal("64531"), 1),
    ]
    history = next(section for section in draft.report.sections if section.key == "history")
    assert history.chart == "history"
    assert history.paragraphs[0].startswith("2021年：自评表1张，预算10.8万元，支出5.4万元，执行率50%")
    assert len(draft.report.categories) == 1  # the report itself is of 2022 only


def test_a_year_without_forms_is_not_found(store, system):
    imported(store, system, sample(LUOHU_2022))
    with pytest.raises(NotFound):
        services.draft_stored_report(store.unit_of_work(), system, year=2019)


def test_a_department_outside_the_viewers_scope_is_not_found(store, system):
    imported(store, system, sample(LUOHU_2022), sample("luohu-culture-bureau-2021.txt"))
    uow = store.unit_of_work()
    services.add_user(uow, system, "wenti", "filler", organisation=LUOHU_BUREAU)
    filler = services.get_actor(uow, "wenti")
    with pytest.raises(NotFound):
        services.draft_stored_report(store.unit_of_work(), filler, year=2022, department=LUOHU_OFFICE)
