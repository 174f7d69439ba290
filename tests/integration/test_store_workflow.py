"""Editing a cell, deciding findings, moving a form through 草稿 → 已提交 → 已审核 / 退回,
comments, and the audit entry each of them leaves."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import sample
from storage_conftest import (  # noqa: F401  (fixtures)
    postgres_databases,
    postgres_template,
    rows,
    scalar,
    seed_cache,
    seeded_database_url,
    sqlite_template,
    table_counts,
)

from jixiao import services
from jixiao.domain.workflow import Conflict, FindingState, Forbidden, FormStatus, Invalid, Role
from jixiao.storage.database import connect
from jixiao.storage.views import FormFilters

OFFICE = "深圳市罗湖区委（政府）办本级"
HEALTH = "440303210301500001427"  # luohu 2022 · 干部健康管理, printed total 95.98


def seed_office(url):
    """luohu 2022 imported under 罗湖区委办, a filler of the unit and a reviewer of the department."""
    database = connect(url)
    uow = database.unit_of_work()
    system = services.get_actor(uow, "system")
    services.add_organisation(uow, system, "罗湖区委办", "department")
    services.add_organisation(uow, system, OFFICE, "unit", parent="罗湖区委办")
    services.add_user(uow, system, "tian", Role.FILLER, organisation=OFFICE)
    services.add_user(uow, system, "qian", Role.REVIEWER, organisation="罗湖区委办")
    assert services.import_files([sample("luohu-district-office-2022.txt")], uow, user=system).failed == []
    database.dispose()


office_url = seeded_database_url(seed_office)


@pytest.fixture
def store(office_url):
    database = connect(office_url)
    yield database
    database.dispose()


@pytest.fixture
def uow(store):
    return store.unit_of_work()


@pytest.fixture
def tian(uow):
    return services.get_actor(uow, "tian")


@pytest.fixture
def qian(uow):
    return services.get_actor(uow, "qian")


@pytest.fixture
def health(store):
    return scalar(store, "SELECT id FROM forms WHERE project_code = :code", code=HEALTH)


def _audit(store, action):
    return rows(store, "SELECT user_id, form_id, target FROM audit_log WHERE action = :action ORDER BY id", action=action)


def _details(uow, action):
    """The detail of each audit entry of an action, oldest first."""
    entries = services.audit_trail(uow, services.get_actor(uow, "system"))
    return [entry.detail for entry in reversed(entries) if entry.action == action]


def test_an_edited_cell_becomes_a_new_version_by_the_editor_rescored_and_rechecked(store, uow, qian, health):
    before = services.get_form(uow, qian, health)
    assert before.summary.error_count == 0

    # 保障局级干部健康管理人数: target 4, actual 4 → 3. Equal target scored as positive (scoring.md
    # §3.2): round(3 / 4 × 7.50, 2) = 5.63, so the total falls by 7.50 − 5.63 = 1.87.
    saved = services.edit_cell(uow, qian, health, "indicators.1.actual", "3", expected_version=1)

    assert (saved.version, saved.outcome) == (2, services.ImportOutcome.VERSION)
    assert [change.text for change in saved.changes] == ["第2项指标“保障局级干部健康管理人数”的实际完成值：“4”改为“3”"]
    after = services.get_form(uow, qian, health)
    assert after.evaluation["indicators"][1]["score"] == 5.63
    assert after.summary.total_recomputed == before.summary.total_recomputed - Decimal("1.87")
    assert after.summary.total_claimed == Decimal("95.98")
    assert after.summary.error_count > 0  # the printed 7.50 no longer matches
    assert [(version.number, version.origin, version.created_by) for version in after.versions] == [
        (2, "edit", "qian"),
        (1, "import", "system"),
    ]
    assert _details(uow, "form.edit") == [{
        "path": "indicators.1.actual",
        "place": "第2项指标“保障局级干部健康管理人数”的实际完成值",
        "old": "4",
        "new": "3",
        "version": 2,
    }]
    assert _audit(store, "form.edit") == [(qian.id, health, None)]


def test_an_edit_against_an_older_version_is_a_conflict(uow, qian, health):
    services.edit_cell(uow, qian, health, "indicators.1.actual", "3")
    with pytest.raises(Conflict):
        services.edit_cell(uow, qian, health, "indicators.0.actual", "10", expected_version=1)


def test_an_edit_that_changes_nothing_stores_nothing(store, uow, qian, health):
    before = table_counts(store)
    saved = services.edit_cell(uow, qian, health, "indicators.1.actual", "4")
    assert (saved.version, saved.outcome) == (1, services.ImportOutcome.UNCHANGED)
    assert table_counts(store) == before


def test_a_path_that_names_no_cell_is_invalid(uow, qian, health):
    with pytest.raises(Invalid, match="没有可修改的单元格"):
        services.edit_cell(uow, qian, health, "funds.colour", "红")


@pytest.mark.parametrize("path, text", [("project.year", "2023"), ("project.code", "440303210301500009999")])
def test_the_cells_that_place_a_form_cannot_be_edited(uow, qian, health, path, text):
    with pytest.raises(Invalid, match="不能修改"):
        services.edit_cell(uow, qian, health, path, text)


def test_dismissing_a_finding_needs_a_reason_and_takes_it_off_the_list_counts(store, uow, qian, health):
    detail = services.get_form(uow, qian, health)
    low = next(item for item in detail.findings if item.code == "funds.low-execution")  # 59.7% < 80%
    with pytest.raises(Invalid, match="理由"):
        services.decide_finding(uow, qian, low.id, FindingState.DISMISSED, "  ")

    decided = services.decide_finding(uow, qian, low.id, FindingState.DISMISSED, "疫情防控，疗养推迟到2023年")

    assert (decided.state, decided.reason, decided.decided_by) == (FindingState.DISMISSED, "疫情防控，疗养推迟到2023年", "qian")
    summary = services.get_form(uow, qian, health).summary
    assert summary.warning_count == detail.summary.warning_count - 1
    assert summary.open_count == detail.summary.open_count - 1
    assert _audit(store, "finding.decide") == [(qian.id, health, f"finding:{low.id}")]

    reopened = services.decide_finding(uow, qian, low.id, FindingState.OPEN)
    assert (reopened.state, reopened.reason, reopened.decided_by) == (FindingState.OPEN, None, None)
    assert services.get_form(uow, qian, health).summary.warning_count == detail.summary.warning_count


def test_an_accepted_finding_still_counts_but_is_no_longer_open(uow, qian, health):
    detail = services.get_form(uow, qian, health)
    services.decide_finding(uow, qian, detail.findings[0].id, FindingState.ACCEPTED)
    summary = services.get_form(uow, qian, health).summary
    assert summary.warning_count == detail.summary.warning_count
    assert summary.open_count == detail.summary.open_count - 1


def test_a_finding_of_an_older_version_cannot_be_decided(uow, qian, health):
    old = services.get_form(uow, qian, health).findings[0]
    services.edit_cell(uow, qian, health, "indicators.1.actual", "3")
    with pytest.raises(Conflict, match="第1版"):
        services.decide_finding(uow, qian, old.id, FindingState.ACCEPTED)


def test_a_form_goes_from_submitted_to_approved_and_back_through_returned(store, uow, tian, qian, health):
    assert services.get_form(uow, qian, health).next_statuses == [FormStatus.APPROVED, FormStatus.RETURNED]
    services.change_status(uow, qian, health, FormStatus.APPROVED)

    detail = services.get_form(uow, qian, health)
    assert (detail.summary.status, detail.editable, detail.can_decide) == (FormStatus.APPROVED, False, False)
    with pytest.raises(Forbidden):
        services.edit_cell(uow, qian, health, "indicators.1.actual", "3")
    with pytest.raises(Conflict):
        services.decide_finding(uow, qian, detail.findings[0].id, FindingState.ACCEPTED)
    with pytest.raises(Invalid, match="原因"):
        services.change_status(uow, qian, health, FormStatus.RETURNED)

    services.change_status(uow, qian, health, FormStatus.RETURNED, "执行率偏低的原因请补充说明")
    services.edit_cell(uow, tian, health, "funds.total.executed", "64531.00")
    services.change_status(uow, tian, health, FormStatus.SUBMITTED)

    detail = services.get_form(uow, tian, health)
    assert detail.summary.status is FormStatus.SUBMITTED
    assert [(comment.author, comment.body, comment.version) for comment in detail.comments] == [
        ("qian", "执行率偏低的原因请补充说明", 1)
    ]
    assert [detail["after"] for detail in _details(uow, "form.status")] == [
        "approved",
        "returned",
        "submitted",
    ]


@pytest.mark.parametrize("target", [FormStatus.DRAFT, FormStatus.SUBMITTED])
def test_a_move_the_workflow_does_not_have_is_a_conflict(uow, qian, health, target):
    with pytest.raises(Conflict):
        services.change_status(uow, qian, health, target)


def test_comments_are_listed_oldest_first_and_audited(store, uow, tian, qian, health):
    services.add_comment(uow, qian, health, "请补充疗养推迟的说明")
    services.add_comment(uow, tian, health, "已补充，见偏差原因")
    with pytest.raises(Invalid):
        services.add_comment(uow, tian, health, "   ")

    comments = services.get_form(uow, tian, health).comments
    assert [(comment.author, comment.body) for comment in comments] == [
        ("qian", "请补充疗养推迟的说明"),
        ("tian", "已补充，见偏差原因"),
    ]
    assert [user for user, _, _ in _audit(store, "comment.add")] == [qian.id, tian.id]


def test_users_and_organisations_added_are_audited_with_the_admin_who_added_them(store, uow):
    system = services.get_actor(uow, "system")
    department = services.add_organisation(uow, system, "新部门", "department")
    user = services.add_user(uow, system, "zhou", "reviewer", organisation="新部门", password="口令")
    assert rows(
        store, "SELECT user_id, action, target FROM audit_log WHERE action IN ('user.add', 'organisation.add') ORDER BY id"
    )[-2:] == [
        (system.id, "organisation.add", f"organisation:{department.id}"),
        (system.id, "user.add", f"user:{user.id}"),
    ]
    assert "口令" not in str(_details(uow, "user.add"))


def test_a_user_needs_an_organisation_unless_an_admin_and_names_are_unique(uow):
    system = services.get_actor(uow, "system")
    with pytest.raises(Invalid):
        services.add_user(uow, system, "wu", Role.FILLER)
    with pytest.raises(Conflict):
        services.add_user(uow, system, "tian", Role.ADMIN)
    with pytest.raises(Conflict):
        services.add_organisation(uow, system, OFFICE, "unit")


def test_the_list_filters_sorts_and_pages(uow, qian):
    everything = services.list_forms(uow, qian, FormFilters(page_size=200))
    assert everything.total == 8
    by_total = services.list_forms(uow, qian, FormFilters(sort="-total", page_size=3, page=2))
    assert (by_total.total, by_total.pages, len(by_total.items)) == (8, 3, 3)
    totals = [item.total_recomputed for item in services.list_forms(uow, qian, FormFilters(sort="-total")).items]
    assert totals == sorted(totals, reverse=True)
    assert [item.project_name for item in services.list_forms(uow, qian, FormFilters(search="档案")).items] == ["档案管理事务"]
    assert services.list_forms(uow, qian, FormFilters(year=2021)).total == 0
    with_errors = services.list_forms(uow, qian, FormFilters(has_errors=True)).total
    without = services.list_forms(uow, qian, FormFilters(has_errors=False)).total
    assert with_errors + without == 8
    assert services.list_forms(uow, qian, FormFilters(status=FormStatus.DRAFT)).total == 0


def test_the_dashboard_adds_up_a_years_forms(uow, qian):
    board = services.dashboard(uow, qian, 2022)
    assert board.forms == 8
    assert sum(board.by_grade.values()) == sum(board.by_status.values()) == 8
    assert board.by_status == {FormStatus.SUBMITTED: 8}
    [unit] = board.units
    assert (unit.unit_name, unit.forms) == (OFFICE, 8)
    assert unit.rate == unit.executed / unit.budget
    assert board.top_codes and board.top_codes[0][1] >= board.top_codes[-1][1]
    assert all(item.status is not FormStatus.APPROVED for item in board.attention)


def test_the_dashboard_shows_execution_one_level_below_where_it_starts(uow):
    system = services.get_actor(uow, "system")  # an admin: the dashboard starts at the top of the tree
    [department] = services.dashboard(uow, system, 2022).units
    assert (department.unit_name, department.forms) == ("罗湖区委办", 8)
    with uow:
        department_id = uow.organisations.find("罗湖区委办").id
    [unit] = services.dashboard(uow, system, 2022, department_id).units
    assert (unit.unit_name, unit.forms, unit.budget, unit.executed) == (OFFICE, 8, department.budget, department.executed)


def test_the_dashboard_counts_a_decision_at_once(uow, qian):
    code, count = services.dashboard(uow, qian, 2022).top_codes[0]
    finding = next(
        item
        for form in services.list_forms(uow, qian).items
        for item in services.get_form(uow, qian, form.id).findings
        if item.code == code
    )
    services.decide_finding(uow, qian, finding.id, FindingState.DISMISSED, "已核实，不是问题")
    assert dict(services.dashboard(uow, qian, 2022).top_codes).get(code) == count - 1  # dismissed ones are not counted


def test_the_dashboard_counts_a_status_change_at_once(uow, qian, health):
    before = services.dashboard(uow, qian, 2022)
    services.change_status(uow, qian, health, FormStatus.APPROVED)
    after = services.dashboard(uow, qian, 2022)
    assert after.by_status == {FormStatus.SUBMITTED: 7, FormStatus.APPROVED: 1}
    assert health in {item.id for item in before.attention} - {item.id for item in after.attention}


def test_the_store_revision_rises_with_each_change_and_not_with_a_read(store, uow, qian, health):
    revision = scalar(store, "SELECT number FROM store_revision")
    services.get_form(uow, qian, health)
    services.dashboard(uow, qian, 2022)
    assert scalar(store, "SELECT number FROM store_revision") == revision
    services.add_comment(uow, qian, health, "请补充偏差原因")
    assert scalar(store, "SELECT number FROM store_revision") == revision + 1


def test_a_unit_filter_offers_every_organisation_while_they_are_few(uow, qian):
    assert [item.name for item in services.unit_choices(uow, qian)] == ["罗湖区委办", OFFICE]
    tian = services.get_actor(uow, "tian")
    assert [item.name for item in services.unit_choices(uow, tian)] == [OFFICE]


def test_a_unit_filter_over_many_organisations_narrows_down_to_the_chosen_one(uow, monkeypatch):
    system = services.get_actor(uow, "system")
    for department in ("财政局甲部门", "财政局乙部门"):
        services.add_organisation(uow, system, department, "department")
        for number in (1, 2):
            services.add_organisation(uow, system, f"{department}{number}单位", "unit", parent=department)
    monkeypatch.setattr("jixiao.services.review_desk.UNIT_CHOICES", 4)  # 8 organisations: too many to list

    top = [item.name for item in services.unit_choices(uow, system)]
    with uow:
        chosen = uow.organisations.find("财政局甲部门2单位")
    down = [item.name for item in services.unit_choices(uow, system, chosen.id)]

    assert top == ["罗湖区委办", "财政局甲部门", "财政局乙部门"]  # the top of the tree, by path
    assert down == ["罗湖区委办", "财政局甲部门", "财政局甲部门1单位", "财政局甲部门2单位", "财政局乙部门"]
