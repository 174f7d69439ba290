"""Importing forms into the store: one transaction per file, idempotent, versions with diffs."""

from __future__ import annotations

from decimal import Decimal

from conftest import sample
from storage_conftest import (  # noqa: F401  (fixtures)
    SELF_EVALUATION_SAMPLES,
    database_url,
    edited_copy,
    lines_of,
    postgres_databases,
    postgres_template,
    rows,
    scalar,
    sqlite_template,
    store,
    system,
    table_counts,
)

from jixiao import services
from jixiao.domain.workflow import FindingState, FormStatus, OrganisationKind, Role
from jixiao.storage.views import FormFilters

ImportOutcome = services.ImportOutcome
LUOHU_2022 = "luohu-district-office-2022.txt"
LUOHU_BUREAU = "深圳市罗湖区文化广电旅游体育局"
LUOHU_OFFICE = "深圳市罗湖区委（政府）办本级"


def _import(store, actor, *paths, **options):
    return services.import_files(list(paths), store.unit_of_work(), user=actor, **options)


def _samples():
    return [sample(name) for name in SELF_EVALUATION_SAMPLES]


def test_the_three_self_evaluation_samples_become_33_forms_with_evaluations_and_findings(store, system):
    report = _import(store, system, *_samples())

    assert [len(item.forms) for item in report.files] == [22, 8, 3]
    assert report.failed == []
    assert report.count(ImportOutcome.NEW) == 33
    counts = table_counts(store)
    assert (counts["forms"], counts["form_versions"], counts["projects"]) == (33, 33, 33)
    # Every version has its evaluation under its layout's profile (scoring.md §7) and its findings.
    assert rows(store, "SELECT profile, count(*) FROM form_versions GROUP BY profile ORDER BY profile") == [
        ("national-2020", 8),
        ("shenzhen-2021", 25),
    ]
    assert scalar(store, "SELECT count(*) FROM form_versions WHERE evaluation IS NULL") == 0
    assert counts["findings"] > 0
    # The list counts are the findings' counts (none decided yet, so every finding is open).
    assert scalar(store, "SELECT sum(open_count) FROM forms") == counts["findings"]
    assert scalar(store, "SELECT count(*) FROM findings WHERE state <> 'open'") == 0
    # Half the luohu 2021 forms name no year; the file is a 2021 submission (storage/placement.py).
    assert rows(store, "SELECT year, count(*) FROM forms GROUP BY year ORDER BY year") == [(2021, 25), (2022, 8)]
    # One import entry per new form, by the system account.
    assert scalar(store, "SELECT count(*) FROM audit_log WHERE action = 'form.import' AND user_id = 1") == 33


def test_a_stored_form_keeps_the_printed_and_the_recomputed_summary_a_list_needs(store, system):
    _import(store, system, sample(LUOHU_2022))
    page = services.list_forms(store.unit_of_work(), system, FormFilters(search="440303210301500001427"))
    [health] = page.items  # 干部健康管理: 全年预算数 108000, 全年执行数 64531, 总分得分 95.98
    assert (health.project_name, health.year, health.unit_name) == ("干部健康管理", 2022, LUOHU_OFFICE)
    assert health.total_claimed == Decimal("95.98")
    assert health.execution_rate == Decimal("0.597509")  # 64531 / 108000, to six places
    assert health.status is FormStatus.SUBMITTED
    assert rows(store, "SELECT budget, executed FROM forms WHERE id = :id", id=health.id) == [
        (Decimal("108000.00"), Decimal("64531.00"))
    ]


def test_units_are_matched_or_created_under_the_unassigned_department(store, system):
    _import(store, system, *_samples())
    units = rows(
        store,
        "SELECT o.name, p.name, count(*) FROM forms f JOIN organisations o ON o.id = f.unit_id "
        "JOIN organisations p ON p.id = o.parent_id GROUP BY o.name, p.name ORDER BY count(*) DESC",
    )
    # shenzhen 2021 prints only the 主管部门 code 0102017 and no 实施单位.
    assert units == [(LUOHU_BUREAU, "未分配", 22), (LUOHU_OFFICE, "未分配", 8), ("0102017", "未分配", 3)]


def test_two_forms_of_one_name_and_unit_in_a_file_are_two_projects(store, system):
    _import(store, system, sample("luohu-culture-bureau-2021.txt"))
    # luohu 2021 has two forms named 预算项目 (项目金额 30000 and 15000), neither with a code.
    keys = rows(store, "SELECT key FROM projects WHERE name = '预算项目' ORDER BY id")
    assert [key[0].rsplit(":", 1)[1] for key in keys] == ["预算项目", "预算项目#2"]


def test_importing_the_same_files_again_changes_nothing(store, system):
    _import(store, system, *_samples())
    before = table_counts(store)

    report = _import(store, system, *_samples())

    assert report.count(ImportOutcome.UNCHANGED) == 33
    assert report.count(ImportOutcome.NEW) == report.count(ImportOutcome.VERSION) == 0
    assert table_counts(store) == before


def test_the_same_forms_in_a_renamed_file_are_unchanged(store, system, tmp_path):
    _import(store, system, sample(LUOHU_2022))
    copy = tmp_path / "罗湖区委办-2022-再次报送.txt"
    copy.write_bytes(sample(LUOHU_2022).read_bytes())
    before = table_counts(store)

    assert _import(store, system, copy).count(ImportOutcome.UNCHANGED) == 8
    assert table_counts(store) == before


def test_a_changed_actual_becomes_version_2_with_a_diff_naming_the_row(store, system, tmp_path):
    _import(store, system, sample(LUOHU_2022))
    # 干部健康管理, line 18: 保障局级干部健康管理人数 target 4, actual 4 → 3.
    changed = edited_copy(sample(LUOHU_2022), tmp_path / "changed.txt", 18, cell=5, old="4", new="3")

    report = _import(store, system, changed)

    outcomes = [(saved.project_name, saved.outcome, saved.version) for saved in report.files[0].forms]
    assert outcomes[0] == ("干部健康管理", ImportOutcome.VERSION, 2)
    assert {outcome for _, outcome, _ in outcomes[1:]} == {ImportOutcome.UNCHANGED}
    [change] = report.files[0].forms[0].changes
    assert change.text == "第2项指标“保障局级干部健康管理人数”的实际完成值：“4”改为“3”"
    form_id = report.files[0].forms[0].form_id
    detail = services.get_form(store.unit_of_work(), system, form_id)
    assert [version.number for version in detail.versions] == [2, 1]
    assert [item.text for item in detail.versions[0].changes] == [change.text]
    assert detail.form.indicators[1].actual == "3"
    # 3 of 4 局级 cadres is below target: the recomputed total falls, the printed one stays.
    assert detail.versions[0].total_recomputed < detail.versions[1].total_recomputed
    assert detail.versions[0].total_claimed == detail.versions[1].total_claimed == Decimal("95.98")
    assert scalar(store, "SELECT count(*) FROM form_versions") == 9
    assert rows(store, "SELECT action, form_id FROM audit_log WHERE action = 'form.version'") == [("form.version", form_id)]


def test_a_file_with_an_unreadable_form_changes_nothing_and_the_batch_goes_on(store, system, tmp_path):
    _import(store, system, sample("shenzhen-culture-bureau-2021.txt"))
    before = table_counts(store)
    source = sample(LUOHU_2022).read_text(encoding="utf-8").split("\n")
    broken = tmp_path / "broken.txt"  # the second form's funds block (lines 35–39) is gone
    broken.write_text("\n".join(source[:34] + source[39:]), encoding="utf-8")

    report = _import(store, system, broken, sample("shenzhen-culture-bureau-2021.txt"))

    assert report.files[0].forms == ()
    assert "未找到资金表" in report.files[0].error
    assert report.files[1].error is None
    assert report.exit_code == services.EXIT_UNREADABLE
    assert table_counts(store) == before


def test_a_constraint_failure_on_the_second_form_rolls_back_the_first(store, system, tmp_path):
    # 绩效自评年度 1999 reads as a year, but the store keeps 2000–2100 (ck_forms_year).
    malformed = edited_copy(sample(LUOHU_2022), tmp_path / "malformed.txt", 32, cell=5, old="2022", new="1999")

    report = _import(store, system, malformed, sample("shenzhen-culture-bureau-2021.txt"))

    assert report.files[0].error == "第2张表“档案管理事务”无法保存：绩效自评年度须在2000至2100年之间（ck_forms_year）"
    assert scalar(store, "SELECT count(*) FROM forms WHERE year = 2022") == 0
    assert scalar(store, "SELECT count(*) FROM forms") == 3  # the next file was imported
    assert scalar(store, "SELECT count(*) FROM audit_log WHERE action = 'form.import'") == 3


def test_a_form_whose_year_cannot_be_found_is_refused_with_advice(store, system, tmp_path):
    # shenzhen 2021 · 文化活动预告及文化新闻发布 (lines 25–45) names no year anywhere.
    alone = lines_of(sample("shenzhen-culture-bureau-2021.txt"), tmp_path / "alone.txt", 25, 45)

    report = _import(store, system, alone)
    assert "无法确定绩效自评年度" in report.files[0].error and "--year" in report.files[0].error
    assert table_counts(store)["forms"] == 0

    assert _import(store, system, alone, year=2021).count(ImportOutcome.NEW) == 1
    assert rows(store, "SELECT year FROM forms") == [(2021,)]


def test_the_unit_option_places_every_form_in_that_organisation(store, system):
    uow = store.unit_of_work()
    services.add_organisation(uow, system, "深圳市文化广电旅游体育局", OrganisationKind.DEPARTMENT, code="0102017")
    services.add_organisation(uow, system, "信息中心", OrganisationKind.UNIT, parent="0102017")

    _import(store, system, sample("shenzhen-culture-bureau-2021.txt"), unit="信息中心")

    assert rows(store, "SELECT DISTINCT o.name FROM forms f JOIN organisations o ON o.id = f.unit_id") == [("信息中心",)]


def test_a_department_code_on_the_form_finds_the_department(store, system):
    services.add_organisation(store.unit_of_work(), system, "深圳市文化广电旅游体育局", "department", code="0102017")

    _import(store, system, sample("shenzhen-culture-bureau-2021.txt"))

    assert rows(store, "SELECT DISTINCT o.name FROM forms f JOIN organisations o ON o.id = f.unit_id") == [
        ("深圳市文化广电旅游体育局",)
    ]
    assert scalar(store, "SELECT count(*) FROM organisations WHERE name = '未分配'") == 0


def test_a_reviewer_imports_new_units_under_their_own_department(store, system):
    uow = store.unit_of_work()
    services.add_organisation(uow, system, "罗湖区委办", "department")
    services.add_user(uow, system, "wang", Role.REVIEWER, organisation="罗湖区委办")
    reviewer = services.get_actor(uow, "wang")

    report = _import(store, reviewer, sample(LUOHU_2022))

    assert report.count(ImportOutcome.NEW) == 8
    assert rows(store, "SELECT o.name, p.name FROM organisations o JOIN organisations p ON p.id = o.parent_id") == [
        (LUOHU_OFFICE, "罗湖区委办")
    ]
    assert rows(store, "SELECT action, user_id FROM audit_log WHERE action = 'organisation.add' AND user_id <> 1") == [
        ("organisation.add", reviewer.id)
    ]


def test_a_filler_imports_drafts_into_their_own_unit_whatever_the_form_says(store, system):
    uow = store.unit_of_work()
    services.add_organisation(uow, system, "档案室", "unit")
    services.add_user(uow, system, "li", Role.FILLER, organisation="档案室")
    filler = services.get_actor(uow, "li")

    _import(store, filler, sample(LUOHU_2022))

    assert rows(
        store, "SELECT o.name, f.status, count(*) FROM forms f JOIN organisations o ON o.id = f.unit_id GROUP BY o.name, f.status"
    ) == [("档案室", "draft", 8)]


def test_a_reviewers_decision_carries_over_to_the_next_version(store, system, tmp_path):
    _import(store, system, sample(LUOHU_2022))
    form_id = scalar(store, "SELECT id FROM forms WHERE project_code = '440303210301500001427'")
    first = services.get_form(store.unit_of_work(), system, form_id).findings
    assert first, "干部健康管理 has findings (execution rate 59.7%)"
    decided = first[0]
    services.decide_finding(store.unit_of_work(), system, decided.id, FindingState.DISMISSED, "疫情原因，已说明")
    changed = edited_copy(sample(LUOHU_2022), tmp_path / "changed.txt", 18, cell=5, old="4", new="3")

    _import(store, system, changed)

    second = services.get_form(store.unit_of_work(), system, form_id).findings
    again = [item for item in second if (item.code, item.indicator_name) == (decided.code, decided.indicator_name)]
    assert [(item.state, item.reason, item.decided_by) for item in again] == [
        (FindingState.DISMISSED, "疫情原因，已说明", "system")
    ]
    assert all(item.state is FindingState.OPEN for item in second if item not in again)


def test_an_approved_form_takes_no_new_version_until_it_is_returned(store, system, tmp_path):
    _import(store, system, sample(LUOHU_2022))
    form_id = scalar(store, "SELECT id FROM forms WHERE project_code = '440303210301500001427'")
    services.change_status(store.unit_of_work(), system, form_id, FormStatus.APPROVED)
    changed = edited_copy(sample(LUOHU_2022), tmp_path / "changed.txt", 18, cell=5, old="4", new="3")
    before = table_counts(store)

    report = _import(store, system, changed)

    assert "状态为“已审核”，不能导入新版本" in report.files[0].error
    assert table_counts(store) == before


def test_a_misread_amount_too_large_for_a_list_column_is_stored_as_unknown_not_refused(store, system, tmp_path):
    # 干部健康管理, line 9: 全年预算数 108000 misread as 1e30; the record keeps the text.
    misread = edited_copy(sample(LUOHU_2022), tmp_path / "misread.txt", 9, cell=3, old="108000", new="1e30")

    report = _import(store, system, misread)

    assert report.failed == []
    assert rows(store, "SELECT budget, executed FROM forms WHERE project_code = :code", code="440303210301500001427") == [
        (None, Decimal("64531.00"))
    ]
    form_id = report.files[0].forms[0].form_id
    assert services.get_form(store.unit_of_work(), system, form_id).form.funds.total.adjusted.text == "1e30"
