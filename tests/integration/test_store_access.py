"""Who sees and changes what, through the services: a 填报人 their unit, a 审核人 the units
under their organisation, an admin everything (domain/workflow.py)."""

from __future__ import annotations

import pytest
from conftest import sample
from storage_conftest import (  # noqa: F401  (fixtures)
    postgres_databases,
    postgres_template,
    scalar,
    seed_cache,
    seeded_database_url,
    sqlite_template,
)

from jixiao import services
from jixiao.domain.workflow import FindingState, Forbidden, FormStatus, NotFound, Role
from jixiao.storage.database import connect
from jixiao.storage.views import FormFilters

BUREAU = "罗湖区财政局"
CULTURE = "深圳市罗湖区文化广电旅游体育局"  # luohu 2021: 主管部门 and 实施单位 of all 22 forms
OFFICE_DEPARTMENT = "罗湖区委办"
OFFICE = "深圳市罗湖区委（政府）办本级"  # luohu 2022: 实施单位 of all 8 forms


def seed_luohu(url):
    """A bureau with two departments, the two luohu files imported, and one user per role."""
    database = connect(url)
    uow = database.unit_of_work()
    system = services.get_actor(uow, "system")
    services.add_organisation(uow, system, BUREAU, "bureau")
    services.add_organisation(uow, system, CULTURE, "department", parent=BUREAU)
    services.add_organisation(uow, system, OFFICE_DEPARTMENT, "department", parent=BUREAU)
    services.add_organisation(uow, system, OFFICE, "unit", parent=OFFICE_DEPARTMENT)
    services.add_user(uow, system, "tian", Role.FILLER, organisation=OFFICE, password="填报-密码")
    services.add_user(uow, system, "zhao", Role.REVIEWER, organisation=CULTURE)
    services.add_user(uow, system, "qian", Role.REVIEWER, organisation=BUREAU)
    services.add_user(uow, system, "sun", Role.ADMIN, password="管理-密码")
    files = [sample("luohu-culture-bureau-2021.txt"), sample("luohu-district-office-2022.txt")]
    report = services.import_files(files, uow, user=system)
    assert report.failed == []
    database.dispose()


luohu_url = seeded_database_url(seed_luohu)


@pytest.fixture
def store(luohu_url):
    database = connect(luohu_url)
    yield database
    database.dispose()


@pytest.fixture
def luohu(store):
    uow = store.unit_of_work()
    actors = {name: services.get_actor(uow, name) for name in ("system", "tian", "zhao", "qian", "sun")}
    actors["culture_form"] = scalar(store, "SELECT min(id) FROM forms WHERE year = 2021")
    actors["office_form"] = scalar(store, "SELECT min(id) FROM forms WHERE year = 2022")
    return actors


def _units(store, viewer, **filters):
    page = services.list_forms(store.unit_of_work(), viewer, FormFilters(page_size=200, **filters))
    return page.total, {item.unit_name for item in page.items}


def test_a_filler_lists_only_their_own_units_forms(store, luohu):
    assert _units(store, luohu["tian"]) == (8, {OFFICE})


def test_a_reviewer_of_a_department_sees_only_that_department(store, luohu):
    assert _units(store, luohu["zhao"]) == (22, {CULTURE})


def test_a_reviewer_of_the_bureau_sees_every_unit_under_it(store, luohu):
    assert _units(store, luohu["qian"]) == (30, {CULTURE, OFFICE})


def test_an_admin_sees_every_form_even_one_outside_the_tree(store, luohu):
    # shenzhen 2021 names department 0102017, which is not in the tree: it goes under 未分配.
    services.import_files([sample("shenzhen-culture-bureau-2021.txt")], store.unit_of_work(), user=luohu["system"])
    assert _units(store, luohu["sun"])[0] == 33
    assert _units(store, luohu["qian"])[0] == 30


def test_filtering_by_a_unit_outside_ones_scope_finds_nothing(store, luohu):
    office_id = scalar(store, "SELECT id FROM organisations WHERE name = :name", name=OFFICE)
    assert _units(store, luohu["zhao"], unit_id=office_id) == (0, set())
    assert _units(store, luohu["qian"], unit_id=office_id) == (8, {OFFICE})


@pytest.mark.parametrize(
    "action",
    [
        lambda uow, user, form_id: services.get_form(uow, user, form_id),
        lambda uow, user, form_id: services.edit_cell(uow, user, form_id, "indicators.0.actual", "1"),
        lambda uow, user, form_id: services.add_comment(uow, user, form_id, "请补充说明"),
        lambda uow, user, form_id: services.change_status(uow, user, form_id, FormStatus.RETURNED, "退回"),
        lambda uow, user, form_id: services.audit_trail(uow, user, form_id),
    ],
    ids=["get", "edit", "comment", "status", "audit"],
)
def test_a_filler_cannot_reach_another_units_form(store, luohu, action):
    with pytest.raises(NotFound):
        action(store.unit_of_work(), luohu["tian"], luohu["culture_form"])


def test_a_department_reviewer_cannot_reach_a_form_of_another_department(store, luohu):
    with pytest.raises(NotFound):
        services.get_form(store.unit_of_work(), luohu["zhao"], luohu["office_form"])
    finding = services.get_form(store.unit_of_work(), luohu["qian"], luohu["office_form"]).findings[0]
    with pytest.raises(NotFound):
        services.decide_finding(store.unit_of_work(), luohu["zhao"], finding.id, FindingState.ACCEPTED)


def test_a_filler_may_neither_decide_findings_nor_approve(store, luohu):
    uow, tian, form_id = store.unit_of_work(), luohu["tian"], luohu["office_form"]
    detail = services.get_form(uow, tian, form_id)
    assert (detail.can_decide, detail.editable, detail.next_statuses) == (False, False, [])
    with pytest.raises(Forbidden):
        services.decide_finding(uow, tian, detail.findings[0].id, FindingState.DISMISSED, "不同意")
    with pytest.raises(Forbidden):
        services.change_status(uow, tian, form_id, FormStatus.APPROVED)


def test_a_filler_edits_a_form_only_once_a_reviewer_has_returned_it(store, luohu):
    uow, tian, form_id = store.unit_of_work(), luohu["tian"], luohu["office_form"]
    with pytest.raises(Forbidden):  # imported by the system account: already submitted
        services.edit_cell(uow, tian, form_id, "indicators.0.actual", "10")

    services.change_status(uow, luohu["qian"], form_id, FormStatus.RETURNED, "第1项指标完成值有误，请核实")
    assert services.get_form(uow, tian, form_id).next_statuses == [FormStatus.SUBMITTED]
    saved = services.edit_cell(uow, tian, form_id, "indicators.0.actual", "10")
    services.change_status(uow, tian, form_id, FormStatus.SUBMITTED)

    assert saved.version == 2
    assert services.get_form(uow, tian, form_id).summary.status is FormStatus.SUBMITTED


def test_only_an_admin_adds_users_and_organisations(store, luohu):
    uow = store.unit_of_work()
    with pytest.raises(Forbidden):
        services.add_user(uow, luohu["qian"], "wu", Role.FILLER, organisation=OFFICE)
    with pytest.raises(Forbidden):
        services.add_organisation(uow, luohu["qian"], "新单位", "unit", parent=OFFICE_DEPARTMENT)
    assert services.add_user(uow, luohu["sun"], "wu", Role.FILLER, organisation=OFFICE).username == "wu"


def test_dashboards_count_only_what_the_viewer_sees(store, luohu):
    uow = store.unit_of_work()
    assert services.dashboard(uow, luohu["zhao"], 2021).forms == 22
    assert services.dashboard(uow, luohu["zhao"], 2022).forms == 0
    assert services.dashboard(uow, luohu["tian"], 2022).forms == 8
    assert services.dashboard(uow, luohu["qian"], 2021).forms == 22


def test_the_audit_trail_shows_a_filler_only_their_units_forms(store, luohu):
    entries = services.audit_trail(store.unit_of_work(), luohu["tian"])
    assert {entry.action for entry in entries} == {"form.import"}
    assert len(entries) == 8
    everything = services.audit_trail(store.unit_of_work(), luohu["sun"])
    assert {"user.add", "organisation.add", "form.import"} <= {entry.action for entry in everything}


def test_each_role_filters_by_the_organisations_it_may_see(store, luohu):
    uow = store.unit_of_work()
    names = {key: [item.name for item in services.list_organisations(uow, luohu[key])] for key in ("tian", "zhao", "qian", "sun")}
    assert names["tian"] == [OFFICE]
    assert names["zhao"] == [CULTURE]
    assert set(names["qian"]) == {BUREAU, CULTURE, OFFICE_DEPARTMENT, OFFICE}
    assert set(names["sun"]) == {BUREAU, CULTURE, OFFICE_DEPARTMENT, OFFICE}


def test_a_password_is_stored_as_an_argon2id_hash_and_checked_against_it(store, luohu):
    uow = store.unit_of_work()
    stored = scalar(store, "SELECT password_hash FROM users WHERE username = 'tian'")
    assert stored.startswith("$argon2id$") and "填报-密码" not in stored
    assert services.authenticate(uow, "tian", "填报-密码") == luohu["tian"]
    assert services.authenticate(uow, "tian", "填报密码") is None
    assert services.authenticate(uow, "zhao", "") is None  # added without a password
    assert services.authenticate(uow, "system", "") is None
    assert services.authenticate(uow, "nobody", "x") is None


def test_an_unknown_username_still_runs_a_password_check():
    # Login timing must not reveal which usernames exist: no hash still verifies against one.
    from jixiao.storage import passwords

    assert passwords.verify_password(None, "guess") is False
    assert passwords._dummy_hash.cache_info().currsize == 1


def test_a_long_digit_string_is_no_organisation_id(store):
    # A 21-digit 项目编码 typed where a unit is asked for must not overflow the id lookup.
    with store.unit_of_work() as uow:
        assert uow.organisations.find("440303210301500001427") is None
