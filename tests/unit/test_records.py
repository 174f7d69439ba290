"""Records (the lossless stored form), content hashes, diffs between versions and cell edits."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal

import pytest
from builders import make_form, row, standard_rows
from conftest import sample

from jixiao.domain.model import Printed, SourceRef
from jixiao.domain.records import (
    CellPathError,
    Change,
    ChangeKind,
    cell_place,
    content_hash,
    diff_forms,
    form_from_record,
    form_to_record,
    with_cell,
)
from jixiao.readers import read_file

SAMPLES = (
    "luohu-culture-bureau-2021.txt",
    "luohu-district-office-2022.txt",
    "shenzhen-culture-bureau-2021.txt",
    "longgang-industry-center-2020-summary.txt",
)


def _through_json(record):
    return json.loads(json.dumps(record, ensure_ascii=False))


@pytest.mark.parametrize("name", SAMPLES)
def test_every_sample_form_comes_back_equal_from_its_record_after_a_json_round_trip(name):
    forms = read_file(sample(name)).forms
    assert forms
    for form in forms:
        assert form_from_record(_through_json(form_to_record(form))) == form


def test_a_record_keeps_each_printed_number_as_text_and_value():
    # luohu 2022 · 干部健康管理 prints 年初预算数 108000.00 but 全年预算数 108000 (domain.md §7.14).
    form = read_file(sample("luohu-district-office-2022.txt")).forms[0]
    funds = form_to_record(form)["funds"]["total"]
    assert funds["initial"] == ["108000.00", "108000.00"]
    assert funds["adjusted"] == ["108000", "108000"]


def test_a_summary_amount_keeps_its_wan_yuan_text_and_its_yuan_value():
    form = read_file(sample("longgang-industry-center-2020-summary.txt")).forms[0]  # 办公设备购置 7.78 万元
    assert form_to_record(form)["funds"]["total"]["adjusted"] == ["7.78", "77800.00"]


def test_the_content_hash_ignores_the_file_the_position_and_the_line_numbers():
    form = make_form()
    moved = replace(
        form,
        source=SourceRef(file="renamed.txt", index=7, layout=form.source.layout, rows=(100, 130)),
        indicators=tuple(replace(item, line=200 + number) for number, item in enumerate(form.indicators)),
    )
    assert content_hash(moved) == content_hash(form)


def test_the_content_hash_changes_when_a_printed_text_changes_even_if_its_value_does_not():
    assert content_hash(make_form(weight="10.0")) != content_hash(make_form(weight="10"))


def test_the_content_hash_ignores_what_jixiao_derives_from_the_texts():
    form = make_form()
    derived = replace(form, indicators=(replace(form.indicators[0], level2=None, inferred=frozenset({"level2"})),) + form.indicators[1:], notes=("第3行：推断",))
    assert content_hash(derived) == content_hash(form)


def test_a_table_declared_in_wan_yuan_is_not_the_same_form_as_one_in_yuan():
    form = make_form()
    assert content_hash(replace(form, funds=replace(form.funds, unit="万元"))) != content_hash(form)


def test_two_equal_forms_have_no_differences():
    assert diff_forms(make_form(), make_form()) == []


def test_a_changed_actual_is_named_by_its_row_and_column():
    old = make_form()
    rows = list(standard_rows())
    rows[1] = row("活动合格率", "100%", "96%", "15.0", level2="质量指标")
    new = make_form(indicators=tuple(rows))
    assert diff_forms(old, new) == [
        Change(ChangeKind.CHANGED, "indicators.1.actual", "第2项指标“活动合格率”的实际完成值", "100%", "96%")
    ]
    assert diff_forms(old, new)[0].text == "第2项指标“活动合格率”的实际完成值：“100%”改为“96%”"


def test_header_and_funds_changes_are_named_as_the_form_names_them():
    old = make_form(executed="80000.00", rate="0.80", score="8.00")
    new = replace(make_form(executed="90000.00", rate="0.90", score="9.00"), project=replace(old.project, name="新名称"))
    places = [(change.place, change.old, change.new) for change in diff_forms(old, new)]
    assert places == [
        ("项目名称", "测试项目", "新名称"),
        ("年度资金总额·全年执行数", "80000.00", "90000.00"),
        ("当年财政拨款·全年执行数", "80000.00", "90000.00"),
        ("执行率", "0.80", "0.90"),
        ("资金得分", "8.00", "9.00"),
        ("总分得分", "98.00", "99.00"),  # the rows of standard_rows() sum to 90
    ]


def test_an_inserted_row_is_added_and_the_rows_after_it_are_not_changed():
    old = make_form()
    rows = list(standard_rows())
    rows.insert(2, row("培训人次", "≥100人次", "120人次", "0.0"))
    new = make_form(indicators=tuple(rows), total_score=old.total.score.text)
    changes = diff_forms(old, new)
    assert [(change.kind, change.path, change.place) for change in changes] == [
        (ChangeKind.ADDED, "indicators.2", "第3项指标“培训人次”")
    ]
    assert changes[0].text.startswith("新增第3项指标“培训人次”：一级指标产出指标；二级指标数量指标；三级指标培训人次")


def test_a_removed_row_is_named_by_its_place_in_the_older_version():
    old = make_form()
    new = make_form(indicators=standard_rows()[:-1], total_score=old.total.score.text)
    changes = diff_forms(old, new)
    assert [(change.kind, change.path, change.place) for change in changes] == [
        (ChangeKind.REMOVED, "indicators.7", "第8项指标“群众满意度”")
    ]


def test_a_change_survives_its_json_form():
    change = Change(ChangeKind.CHANGED, "funds.rate", "执行率", "0.56", "0.60")
    assert Change.from_json(_through_json(change.json())) == change


def test_editing_an_actual_sets_the_text_and_nothing_else():
    form = make_form()
    edited = with_cell(form, "indicators.0.actual", "9场")
    assert edited.indicators[0].actual == "9场"
    assert diff_forms(form, edited) == [
        Change(ChangeKind.CHANGED, "indicators.0.actual", "第1项指标“活动场次”的实际完成值", "12场", "9场")
    ]


def test_editing_a_score_reads_the_number_from_the_text():
    edited = with_cell(make_form(), "indicators.0.score", " 12.5 ")
    assert edited.indicators[0].score == Printed("12.5", Decimal("12.5"))


def test_editing_the_rate_of_a_2021_form_edits_the_total_rows_own_rate_cell_too():
    edited = with_cell(make_form(rate="0.56"), "funds.rate", "0.60")
    assert edited.funds.rate == Printed("0.60", Decimal("0.60"))
    assert edited.funds.total.rate == Printed("0.60", Decimal("0.60"))


def test_editing_an_amount_of_a_wan_yuan_summary_stores_yuan():
    form = read_file(sample("longgang-industry-center-2020-summary.txt")).forms[0]
    edited = with_cell(form, "funds.total.executed", "7.5")
    assert edited.funds.total.executed == Printed("7.5", Decimal("75000.0"))


def test_editing_a_level_label_reads_it_against_the_closed_list_and_it_is_no_longer_inferred():
    form = make_form(indicators=(replace(row(), level2=None, level2_text=None, inferred=frozenset({"level2"})),))
    edited = with_cell(form, "indicators.0.level2_text", "质量指标")
    assert (edited.indicators[0].level2, edited.indicators[0].level2_text) == ("质量", "质量指标")
    assert edited.indicators[0].inferred == frozenset()


def test_a_row_can_be_marked_as_not_applicable():
    assert with_cell(make_form(), "indicators.4.applicable", "是").indicators[4].applicable is True
    assert with_cell(make_form(), "indicators.0.applicable", "否").indicators[0].applicable is False


@pytest.mark.parametrize(
    "path, text",
    [
        ("indicators.99.actual", "1"),
        ("indicators.0.colour", "1"),
        ("funds.total.score", "1"),
        ("project.nickname", "1"),
        ("project.year", "二〇二一"),
        ("indicators.0.applicable", "也许"),
        ("summary.issues", "无"),  # not a summary row
    ],
)
def test_a_path_that_names_no_editable_cell_or_a_text_it_cannot_hold_is_refused(path, text):
    with pytest.raises(CellPathError):
        with_cell(make_form(), path, text)


def test_a_cell_place_names_the_cell_and_gives_its_current_text():
    form = make_form()
    assert cell_place(form, "indicators.1.weight") == ("第2项指标“活动合格率”的分值", "15.0")
    assert cell_place(form, "funds.total.adjusted") == ("年度资金总额·全年预算数", "100000.00")
    with pytest.raises(CellPathError):
        cell_place(form, "total.colour")
