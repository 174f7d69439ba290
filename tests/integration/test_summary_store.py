"""Summaries of stored forms: by department and year, within the viewer's scope, and the
execution rate year over year (services.summarise_stored, services.summary_trend)."""

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


def test_a_stored_year_of_one_department_is_summarised_under_its_units(store, system):
    imported(store, system, sample(LUOHU_2022), sample("luohu-culture-bureau-2021.txt"))

    run = services.summarise_stored(store.unit_of_work(), system, year=2022, department=LUOHU_OFFICE)

    assert run.table.title == f"2022年{LUOHU_OFFICE}部门预算项目绩效自评表"
    assert len(run.table.rows) == len(run.reviews) == 8
    assert {row.unit for row in run.table.rows} == {LUOHU_OFFICE}
    health = next(row for row in run.table.rows if row.project == "干部健康管理")
    # line 9 of the file it was imported from: 108000 | 64531
    assert (health.budget, health.spent) == (Decimal("108000"), Decimal("64531"))
    assert health.source.file.endswith(LUOHU_2022) and health.lines["budget"] == (9,)


def test_a_year_without_self_evaluation_forms_carries_its_imported_summary_over(store, system):
    imported(store, system, sample("longgang-industry-center-2020-summary.txt"))

    run = services.summarise_stored(store.unit_of_work(), system, year=2020)

    assert [row.project for row in run.table.rows][:2] == ["办公设备购置", "文博会"]
    assert run.table.rows[2].spent == Decimal("900700")  # 大芬双年展 90.07 万元


def test_a_department_outside_the_viewers_scope_is_not_found(store, system):
    imported(store, system, sample(LUOHU_2022), sample("luohu-culture-bureau-2021.txt"))
    uow = store.unit_of_work()
    services.add_user(uow, system, "wenti", "filler", organisation=LUOHU_BUREAU)
    filler = services.get_actor(uow, "wenti")

    with pytest.raises(NotFound):
        services.summarise_stored(store.unit_of_work(), filler, year=2022, department=LUOHU_OFFICE)
    # without a department a filler summarises what they see: their own unit's forms only
    assert services.summarise_stored(store.unit_of_work(), filler, year=2022).table.rows == ()


def test_the_execution_rate_is_followed_year_over_year_by_project_code(store, system, tmp_path):
    # 干部健康管理 (lines 1–28) as filed for 2022, and a copy for 2021 that spent 54000 of 108000
    this_year = lines_of(sample(LUOHU_2022), tmp_path / "2022.txt", 1, 28)
    last_year = edited_copy(this_year, tmp_path / "2021a.txt", 5, 5, "2022", "2021")
    last_year = edited_copy(last_year, tmp_path / "2021.txt", 9, 4, "64531", "54000")
    imported(store, system, this_year, last_year)

    trend = services.summary_trend(store.unit_of_work(), system, year=2022, department=LUOHU_OFFICE, years=3)

    assert trend.years == (2020, 2021, 2022)
    assert trend.projects == (("干部健康管理", (None, Decimal("50.00"), Decimal("59.75"))),)
    assert trend.json()["projects"][0] == {"project": "干部健康管理", "rates": [None, 50.0, 59.75]}
