"""The grammar of 年度指标值 and 实际完成值 (target-grammar.md).

Every expected value below is read from the rules of target-grammar.md and from the sample
forms, whose literal cell texts are the inputs.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from jixiao.domain.grammar import (
    MONEY_UNIT,
    NOTE_QUARTER_BEFORE,
    Direction,
    Kind,
    Op,
    ParsedValue,
    Status,
    infer_direction,
    is_money,
    parse_actual,
    parse_target,
    unit_relation,
)

D = Decimal


def shape(value: ParsedValue) -> tuple:
    return value.kind, value.op, value.value, value.unit


def actual_of(text: str, target_text: str, **row) -> ParsedValue:
    return parse_actual(text, parse_target(target_text, **row), **row)


# --- §8 parser fixtures, one test per line


def test_a_ten_thousand_multiplier_applies_to_the_unit_after_it():
    assert shape(parse_target("≥6万人次")) == (Kind.QUANT, Op.GE, D(60000), "人次")


def test_a_guillemet_typed_for_ge_is_read_as_ge():
    value = parse_target("》62%")
    assert shape(value) == (Kind.PCT, Op.GE, D(62), "%")
    assert value.fixes == ("》→≥",)


def test_a_bare_wan_on_a_cost_row_is_money_in_yuan():
    value = parse_target("<=43万", level2="成本")
    assert shape(value) == (Kind.QUANT, Op.LE, D(430000), "元")
    assert value.fixes == ("<=→≤",)


def test_a_thousands_separator_is_removed_and_recorded():
    value = parse_target("≤400,000元")
    assert shape(value) == (Kind.QUANT, Op.LE, D(400000), "元")
    assert value.fixes == ("thousands_sep",)


def test_leading_words_before_the_operator_are_the_prefix():
    value = parse_target("预计≥1.5万件")
    assert shape(value) == (Kind.QUANT, Op.GE, D(15000), "件")
    assert value.prefix == "预计"


def test_yishang_after_the_unit_makes_a_minimum():
    assert shape(parse_target("250场以上")) == (Kind.QUANT, Op.GE, D(250), "场")


def test_at_least_twice_a_year_is_a_minimum_count_per_year():
    value = parse_target("每年至少两次")
    assert shape(value) == (Kind.QUANT, Op.GE, D(2), "次")
    assert value.per == "年"
    assert value.fixes == ("cn_numeral",)


def test_control_within_the_budget_refers_to_the_full_year_budget():
    value = parse_target("控制在预算数内")
    assert shape(value) == (Kind.BUDGET, Op.LE, None, "元")
    assert value.ref == "全年预算数"


def test_complaints_at_zero_is_a_zero_target():
    assert shape(parse_target("投诉为零。")) == (Kind.ZERO, Op.LE, D(0), None)


def test_yue_before_a_number_is_approximate_and_keeps_the_prefix():
    value = parse_target("调解旅游投诉约1000宗")
    assert shape(value) == (Kind.QUANT, Op.APPROX, D(1000), "宗")
    assert value.prefix == "调解旅游投诉"


def test_a_quarter_written_in_chinese_ends_on_the_last_day_of_the_quarter():
    value = parse_target("2021年三季度前")
    assert shape(value) == (Kind.DEADLINE, Op.LE, date(2021, 9, 30), "date")
    assert value.fixes == ("cn_numeral",)


def test_before_the_fourth_quarter_is_its_end_with_a_note():
    value = parse_target("第四季度前完成", fiscal_year=2022)
    assert shape(value) == (Kind.DEADLINE, Op.LE, date(2022, 12, 31), "date")
    assert value.notes == (NOTE_QUARTER_BEFORE,)


def test_end_of_july_takes_the_fiscal_year():
    assert parse_target("7月底前", fiscal_year=2022).value == date(2022, 7, 31)


def test_days_per_year_is_a_period_scored_as_positive():
    value = parse_target("365天/年", level2="数量", name="驻村工作时间")
    assert shape(value) == (Kind.PERIOD, Op.EQ, D(365), "天")
    assert value.per == "年"
    assert value.direction is Direction.POSITIVE


def test_once_per_person_per_year_needs_a_headcount():
    value = parse_target("每人每年一次")
    assert shape(value) == (Kind.PERIOD, Op.GE, D(1), "次")
    assert value.per == "人·年"
    assert value.undetermined == "needs_multiplier"


def test_a_cost_per_item_on_a_cost_row_is_money_per_item_and_reverse():
    value = parse_target("20万元/个", level2="成本", name="用于创作补贴的费用")
    assert shape(value) == (Kind.QUANT, Op.EQ, D(200000), "元")
    assert value.per == "个"
    assert value.direction is Direction.REVERSE


def test_trainings_and_a_total_of_visits_are_two_values():
    value = parse_target("2次培训,共500人次")
    assert value.kind is Kind.MULTI
    assert [shape(part) for part in value.parts] == [
        (Kind.QUANT, Op.EQ, D(2), "次"),
        (Kind.QUANT, Op.EQ, D(500), "人次"),
    ]
    assert value.parts[0].word == "培训"


def test_a_vague_improvement_is_qualitative():
    value = parse_target("有所提升")
    assert value.kind is Kind.QUAL
    assert value.word == "有所提升"


def test_not_applicable_is_na():
    assert parse_target("不适用").kind is Kind.NA


def test_yu_after_a_number_makes_an_actual_a_minimum():
    assert shape(actual_of("3000余件", "≥2000件")) == (Kind.QUANT, Op.GE, D(3000), "件")


def test_a_fraction_against_a_budget_target_is_a_percentage():
    value = actual_of("0.95", "控制在预算数内")
    assert (value.kind, value.value, value.unit) == (Kind.PCT, D(95), "%")
    assert value.fixes == ("fraction_to_pct",)


def test_a_quarter_already_done_is_a_met_deadline():
    value = actual_of("第一季度已完成", "第一季度", fiscal_year=2021)
    assert (value.kind, value.value, value.status) == (Kind.DEADLINE, date(2021, 3, 31), Status.MET)


def test_two_project_costs_in_wan_are_two_amounts_in_yuan():
    value = actual_of("改革课题经费19.8万；放管服课题经费19.73万。", "≤40万", level2="成本", name="单个课题经费")
    assert value.kind is Kind.MULTI
    assert [(part.value, part.unit) for part in value.parts] == [(D(198000), "元"), (D(197300), "元")]


# --- §2 normalisation


def test_html_paragraphs_are_stripped_and_recorded():
    value = parse_target("<p>≥90%</p>")
    assert shape(value) == (Kind.PCT, Op.GE, D(90), "%")
    assert value.fixes == ("html",)


def test_fullwidth_digits_and_percent_become_halfwidth():
    value = parse_target("≥９０％")
    assert shape(value) == (Kind.PCT, Op.GE, D(90), "%")
    assert value.fixes == ("fullwidth",)


def test_spaces_inside_a_value_are_dropped():
    assert shape(parse_target("≥ 90 %")) == (Kind.PCT, Op.GE, D(90), "%")
    assert parse_target("年度总体 目标").normalized == "年度总体目标"


def test_ascii_ge_is_canonicalised():
    value = parse_target(">=5期")
    assert shape(value) == (Kind.QUANT, Op.GE, D(5), "期")
    assert value.normalized == "≥5期"


def test_a_guillemet_closing_a_book_title_stays():
    value = parse_target("落实《工作方案》")
    assert value.kind is Kind.QUAL
    assert value.normalized == "落实《工作方案》"


def test_a_comma_not_before_exactly_three_digits_separates_items():
    value = parse_target("12场,15条")
    assert value.kind is Kind.MULTI
    assert [part.value for part in value.parts] == [D(12), D(15)]


def test_chinese_numerals_inside_longer_words_stay():
    value = parse_target("打造一街道一品牌")
    assert value.kind is Kind.QUAL
    assert value.fixes == ()


# --- §3 target classes, literal examples from the samples


@pytest.mark.parametrize("text", ["无", "不适用", "—", "/", "本项目不涉及经济效益指标"])
def test_placeholders_are_na(text):
    assert parse_target(text).kind is Kind.NA


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        (None, "empty"),
        ("每周巡查星级宾馆酒店、网吧、", "truncated"),
        ("社会满意度", "label_only"),
        ("社会大众对举办活动情况的满意度", "label_only"),
        ("满意度指标", "label_only"),
    ],
)
def test_empty_cut_off_and_label_only_targets_are_invalid(text, reason):
    value = parse_target(text)
    assert (value.kind, value.undetermined) == (Kind.INVALID, reason)


def test_a_target_repeating_the_indicator_name_is_label_only():
    assert parse_target("党员覆盖率", name="党员覆盖率").undetermined == "label_only"


@pytest.mark.parametrize(("text", "unit"), [("0", None), ("0%", "%"), ("无投诉", None), ("无出现重点事故", None)])
def test_zero_targets_are_at_most_zero(text, unit):
    assert shape(parse_target(text)) == (Kind.ZERO, Op.LE, D(0), unit)


@pytest.mark.parametrize("text", ["控制在预算数内", "控制在预算之内", "不超过预算数", "控制在年度预算数内"])
def test_budget_phrases_are_budget_targets(text):
    assert shape(parse_target(text)) == (Kind.BUDGET, Op.LE, None, "元")


def test_a_truncated_second_item_keeps_the_complete_first_one():
    value = parse_target("不少于12款海报,每款印制不少")
    assert value.kind is Kind.MULTI
    assert shape(value.parts[0]) == (Kind.QUANT, Op.GE, D(12), "款")
    assert (value.parts[1].kind, value.parts[1].undetermined) == (Kind.INVALID, "truncated")


def test_a_qualitative_phrase_with_a_number_is_multi():
    value = parse_target("提升辖区服务质量,游客满意度达90%。")
    assert [part.kind for part in value.parts] == [Kind.QUAL, Kind.PCT]
    assert value.parts[1].value == D(90)


def test_two_minimums_per_item_are_multi():
    value = parse_target("旅游宣传折页每款不少于8000份,网吧未成年人禁止进入牌不少于100个")
    assert [shape(part) for part in value.parts] == [
        (Kind.QUANT, Op.GE, D(8000), "份"),
        (Kind.QUANT, Op.GE, D(100), "个"),
    ]
    assert value.parts[0].per == "款"


def test_two_rates_in_one_cell_are_multi():
    value = parse_target("时效办结率100%,满意度100%。")
    assert [(part.prefix, part.value) for part in value.parts] == [("时效办结率", D(100)), ("满意度", D(100))]


def test_clock_times_are_ranges_of_hours():
    value = parse_target("8:00-9:00、12:00-12:30")
    assert [shape(part) for part in value.parts] == [
        (Kind.QUANT, Op.RANGE, (D(8), D(9)), "时刻"),
        (Kind.QUANT, Op.RANGE, (D(12), D("12.5")), "时刻"),
    ]


def test_a_summary_sentence_with_three_counts_is_multi():
    value = parse_target("全年在网络平台刊发全年文化产业宣传报道62条,报纸刊发15条报道,得播10条视频宣传报道")
    assert [(part.value, part.unit) for part in value.parts] == [(D(62), "条"), (D(15), "条"), (D(10), "条")]


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("2021年12月31日前", date(2021, 12, 31)),
        ("12月31日前", date(2021, 12, 31)),
        ("2021年12月", date(2021, 12, 31)),
        ("12月底前", date(2021, 12, 31)),
        ("12月底前完成", date(2021, 12, 31)),
        ("完成时间6月底前", date(2021, 6, 30)),
        ("2022年底", date(2022, 12, 31)),
        ("第一季度", date(2021, 3, 31)),
        ("第2季度举办", date(2021, 6, 30)),
        ("第二季度", date(2021, 6, 30)),
    ],
)
def test_deadlines_are_the_last_day_of_the_named_period(text, due):
    value = parse_target(text, fiscal_year=2021)
    assert (value.kind, value.op, value.value) == (Kind.DEADLINE, Op.LE, due)


def test_a_deadline_prefix_is_kept():
    assert parse_target("培训完成时间12月底前", fiscal_year=2021).prefix == "培训完成时间"


def test_a_deadline_after_the_fiscal_year_is_marked():
    value = parse_target("2022年完成", fiscal_year=2021)
    assert value.value == date(2022, 12, 31)
    assert value.beyond_year is True


def test_a_deadline_within_the_fiscal_year_is_not_marked():
    assert parse_target("2021年12月", fiscal_year=2021).beyond_year is False


def test_a_deadline_without_any_year_keeps_its_month_and_day():
    value = parse_target("12月31日前")
    assert (value.kind, value.value, value.undetermined) == (Kind.DEADLINE, None, "no_year")
    assert value.month_day == (12, 31)


def test_a_date_that_does_not_exist_is_undetermined():
    value = parse_target("2月30日前", fiscal_year=2021)
    assert (value.kind, value.value, value.undetermined) == (Kind.DEADLINE, None, "bad_date")


def test_one_to_two_a_week_is_a_range_per_week():
    value = parse_target("平均每周1-2场")
    assert shape(value) == (Kind.QUANT, Op.RANGE, (D(1), D(2)), "场")
    assert value.per == "周"


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [("约90场", D(90), "场"), ("约30万人次", D(300000), "人次"), ("约100场", D(100), "场"), ("100场左右", D(100), "场")],
)
def test_approximate_targets(text, value, unit):
    assert shape(parse_target(text)) == (Kind.QUANT, Op.APPROX, value, unit)


@pytest.mark.parametrize(
    ("text", "kind", "value", "unit"),
    [
        ("≥1项", Kind.QUANT, D(1), "项"),
        ("≥300平米", Kind.QUANT, D(300), "平米"),
        ("≥2000件", Kind.QUANT, D(2000), "件"),
        ("≥60000人次", Kind.QUANT, D(60000), "人次"),
        ("≥310天", Kind.QUANT, D(310), "天"),
        ("≥5期", Kind.QUANT, D(5), "期"),
        ("≥90分", Kind.QUANT, D(90), "分"),
        ("≥0.79%", Kind.PCT, D("0.79"), "%"),
        ("》50所", Kind.QUANT, D(50), "所"),
        ("90%以上", Kind.PCT, D(90), "%"),
        ("不少于30支", Kind.QUANT, D(30), "支"),
        ("不少于2个", Kind.QUANT, D(2), "个"),
        ("满意度调查不低于90%", Kind.PCT, D(90), "%"),
        ("设备购置数量≥7", Kind.QUANT, D(7), None),
        ("接待不少于2000人次", Kind.QUANT, D(2000), "人次"),
    ],
)
def test_minimum_targets(text, kind, value, unit):
    assert shape(parse_target(text)) == (kind, Op.GE, value, unit)


def test_four_hundred_yi_on_a_money_name_is_yuan():
    assert shape(parse_target("≥400亿", name="合同及意向成交金额")) == (Kind.QUANT, Op.GE, D(4 * 10**10), "元")


@pytest.mark.parametrize(
    ("text", "op", "value", "unit"),
    [
        ("≤8人", Op.LE, D(8), "人"),
        ("≤10%", Op.LE, D(10), "%"),
        ("≤2个工作日", Op.LE, D(2), "个工作日"),
        ("<2小时", Op.LT, D(2), "小时"),
        ("受理时限≤7个工作日", Op.LE, D(7), "个工作日"),
        ("完结时间≤3个月", Op.LE, D(3), "个月"),
        ("≤40万", Op.LE, D(400000), "元"),
        ("不超过5万元", Op.LE, D(50000), "元"),
        ("3个工作日以内", Op.LE, D(3), "个工作日"),
    ],
)
def test_maximum_targets(text, op, value, unit):
    assert shape(parse_target(text, level2="成本")) == (Kind.QUANT if unit != "%" else Kind.PCT, op, value, unit)


@pytest.mark.parametrize(
    ("text", "per"),
    [("全年开展", "年"), ("全年有计划地开展", "年"), ("全年按照规定", "年"), ("全天", None), ("按月度发放", "月")],
)
def test_period_words_are_periods(text, per):
    value = parse_target(text)
    assert (value.kind, value.per, value.word) == (Kind.PERIOD, per, text)


@pytest.mark.parametrize(
    ("text", "kind", "value", "unit"),
    [
        ("46人", Kind.QUANT, D(46), "人"),
        ("19家", Kind.QUANT, D(19), "家"),
        ("2万份", Kind.QUANT, D(20000), "份"),
        ("4套", Kind.QUANT, D(4), "套"),
        ("101户", Kind.QUANT, D(101), "户"),
        ("200", Kind.QUANT, D(200), None),
        ("11", Kind.QUANT, D(11), None),
        ("28条", Kind.QUANT, D(28), "条"),
        ("100%", Kind.PCT, D(100), "%"),
        ("98%", Kind.PCT, D(98), "%"),
        ("1场营商环境推介会", Kind.QUANT, D(1), "场"),
        ("100%完成", Kind.PCT, D(100), "%"),
        ("5名", Kind.QUANT, D(5), "名"),
    ],
)
def test_bare_numbers_and_percentages_are_equal_targets(text, kind, value, unit):
    assert shape(parse_target(text)) == (kind, Op.EQ, value, unit)


def test_the_noun_after_a_count_is_kept_as_its_word():
    assert parse_target("1场营商环境推介会").word == "营商环境推介会"


def test_three_wan_yuan_on_a_cost_row_is_an_equal_cost_read_as_reverse():
    value = parse_target("3万元", level2="成本", name="用于戏曲专场活动的场均费用")
    assert shape(value) == (Kind.QUANT, Op.EQ, D(30000), "元")
    assert (value.direction, value.direction_source) == (Direction.REVERSE, "category")


@pytest.mark.parametrize(
    "text",
    ["有效提升", "有效保障", "效果显著", "达到目标", "及时", "满意", "优", "长期", "明显提高", "按时完成",
     "在组织部文件规定时限内", "根据区统一安排", "合同服务期内", "符合文明创建宣传要求", "市民文明城市知晓率提升"],
)  # fmt: skip
def test_anything_else_is_qualitative(text):
    value = parse_target(text)
    assert (value.kind, value.word, value.undetermined) == (Kind.QUAL, text, None)


def test_a_multiplier_written_once_applies_to_both_ends_of_a_range():
    assert parse_target("1-2万人").value == (D(10000), D(20000))


def test_jieyue_is_a_word_and_not_an_approximation():
    value = parse_target("节约10万元", level2="成本")
    assert (value.op, value.value, value.prefix) == (Op.EQ, D(100000), "节约")


def test_top_three_is_at_most_third_place():
    assert shape(parse_target("排名前三名")) == (Kind.QUANT, Op.LE, D(3), "名次")


def test_a_rank_in_the_city_is_a_place_read_as_reverse():
    value = parse_target("保持全市第一")
    assert shape(value) == (Kind.QUANT, Op.EQ, D(1), "名次")
    assert value.direction is Direction.REVERSE


# --- §4 actuals


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("3410人", D(3410), "人"),
        ("546平米", D(546), "平米"),
        ("700万人次", D(7000000), "人次"),
        ("92.4分", D("92.4"), "分"),
        ("1.78万件", D(17800), "件"),
        ("350000元", D(350000), "元"),
        ("2510件", D(2510), "件"),
    ],
)
def test_a_number_with_a_unit_is_an_equal_quantity(text, value, unit):
    assert shape(actual_of(text, "≥1件")) == (Kind.QUANT, Op.EQ, value, unit)


@pytest.mark.parametrize(("text", "op", "value"), [("近12万人", Op.APPROX, D(120000)), ("超过6万人次", Op.GE, D(60000))])
def test_narrative_qualifiers_in_actuals(text, op, value):
    parsed = actual_of(text, "≥5万人次")
    assert (parsed.op, parsed.value) == (op, value)


@pytest.mark.parametrize(("text", "target", "unit"), [("46", "46人", "人"), ("11", "11", None), ("0", "0", None)])
def test_a_bare_actual_takes_the_unit_of_its_target(text, target, unit):
    value = actual_of(text, target)
    assert value.unit == unit
    assert value.fixes == (("unit_assumed",) if unit else ())


def test_a_bare_hundred_against_a_percentage_target_is_a_percentage():
    value = actual_of("100", "≥90%")
    assert (value.kind, value.value, value.fixes) == (Kind.PCT, D(100), ("unit_assumed",))


def test_a_fraction_against_a_percentage_target_is_a_percentage():
    value = actual_of("0.95", "≥90%")
    assert (value.kind, value.value, value.fixes) == (Kind.PCT, D(95), ("fraction_to_pct",))


def test_a_cost_actual_per_item_keeps_its_per():
    value = actual_of("0元/个", "20万元/个", level2="成本")
    assert (value.value, value.unit, value.per) == (D(0), "元", "个")


def test_a_weekly_count_keeps_its_per():
    assert actual_of("200家次/周", "≥100家次").per == "周"


@pytest.mark.parametrize(
    ("text", "target", "due"),
    [
        ("12月底前已发放", "12月底前", date(2022, 12, 31)),
        ("第四季度完成", "第四季度前完成", date(2022, 12, 31)),
        ("2022年度已完成验收", "合同服务期内", date(2022, 12, 31)),
        ("2022年底", "2022年底", date(2022, 12, 31)),
        ("6月", "7月底前", date(2022, 6, 30)),
        ("第3季度举办", "第2季度举办", date(2022, 9, 30)),
    ],
)
def test_dated_actuals_are_met_deadlines(text, target, due):
    value = actual_of(text, target, fiscal_year=2022)
    assert (value.kind, value.value, value.status, value.undetermined) == (Kind.DEADLINE, due, Status.MET, None)


def test_a_bare_month_takes_the_year_of_a_dated_target_when_the_form_has_none():
    assert actual_of("6月", "2022年7月底前").value == date(2022, 6, 30)


@pytest.mark.parametrize(("text", "target"), [("每月发放", "按月度发放"), ("全天", "全天")])
def test_period_status_actuals_are_met(text, target):
    value = actual_of(text, target)
    assert (value.kind, value.status) == (Kind.PERIOD, Status.MET)


@pytest.mark.parametrize(("text", "status"), [("已完成", Status.MET), ("按时完成", Status.MET), ("满意", Status.MET),
                                              ("部分完成", Status.PARTIAL), ("未完成", Status.UNMET)])  # fmt: skip
def test_completion_words_are_statuses(text, status):
    value = actual_of(text, "有效提升")
    assert (value.kind, value.status, value.undetermined) == (Kind.QUAL, status, None)


@pytest.mark.parametrize(
    "target", ["有效提升", "在组织部文件规定时限内", "全年开展", "2021年12月31日前", "无出现重点事故"]
)
def test_a_full_percentage_on_a_non_numeric_target_is_the_status_met(target):
    value = actual_of("100%", target, fiscal_year=2021)
    assert (value.kind, value.value, value.status) == (Kind.PCT, D(100), Status.MET)
    assert value.fixes == ("status_from_pct",)


@pytest.mark.parametrize("text", ["80%", "90%", "75%"])
def test_a_partial_percentage_on_a_qualitative_target_stays_a_percentage_for_banding(text):
    value = actual_of(text, "有所提升")
    assert (value.kind, value.status, value.undetermined, value.fixes) == (Kind.PCT, None, None, ())


def test_a_full_percentage_on_a_count_target_is_not_a_status():
    value = actual_of("100%", "1场推广活动")
    assert value.status is None
    assert value.undetermined == "unit_incompatible"


@pytest.mark.parametrize(("text", "kind"), [("不适用", Kind.NA), ("无", Kind.NA), ("社会满意度", Kind.INVALID)])
def test_labels_as_actuals(text, kind):
    assert actual_of(text, "≥95%").kind is kind


@pytest.mark.parametrize(("text", "kind", "unit"), [("0", Kind.QUANT, None), ("0次", Kind.QUANT, "次"),
                                                    ("0%", Kind.PCT, "%"), ("0场", Kind.QUANT, "场")])  # fmt: skip
def test_zero_actuals_are_quantities_of_zero(text, kind, unit):
    assert shape(actual_of(text, "0")) == (kind, Op.EQ, D(0), unit)


def test_no_complaints_as_an_actual_is_zero():
    assert actual_of("无投诉", "0").value == D(0)


# --- §5 units


def test_persons_and_ming_are_the_same_unit():
    assert unit_relation(parse_target("≤8人"), actual_of("7名", "≤8人")) == "same"


def test_jia_against_jia_ci_is_comparable_with_a_note():
    target = parse_target("共检查旅游企业450家次")
    actual = parse_actual("456家", target)
    assert unit_relation(target, actual) == "note"
    assert actual.undetermined is None


def test_a_unit_on_one_side_only_is_comparable_with_a_note():
    target = parse_target("≥4")
    assert unit_relation(target, parse_actual("6次", target)) == "note"


def test_visits_are_not_persons():
    target = parse_target("100人")
    actual = parse_actual("150人次", target)
    assert unit_relation(target, actual) == "incompatible"
    assert actual.undetermined == "unit_incompatible"


def test_a_percentage_against_a_count_is_incompatible():
    target = parse_target("不少于2个")
    assert unit_relation(target, parse_actual("100%", target)) == "incompatible"


def test_working_days_are_not_converted_to_days():
    target = parse_target("≤2个工作日")
    assert unit_relation(target, parse_actual("2天", target)) == "incompatible"


def test_a_total_compares_with_a_per_year_target():
    target = parse_target("365天/年")
    actual = parse_actual("213天", target)
    assert unit_relation(target, actual) == "same"
    assert actual.undetermined is None


def test_a_total_does_not_compare_with_a_per_person_target():
    actual = actual_of("5次", "每人每年一次")
    assert actual.undetermined == "unit_incompatible"


def test_a_share_answers_a_budget_target():
    target = parse_target("控制在预算数内")
    assert unit_relation(target, parse_actual("56%", target)) == "same"


def test_six_wan_visits_is_simply_sixty_thousand_visits():
    value = parse_target("6万人次")
    assert (value.value, value.unit, value.multiplier, value.undetermined) == (D(60000), "人次", 10000, None)


def test_a_bare_wan_outside_a_money_context_has_an_unknown_scale():
    value = parse_target("≥6万", level2="数量", name="参观人数")
    assert (value.value, value.unit, value.undetermined) == (D(60000), None, "scale_unknown")


@pytest.mark.parametrize("name", ["全年支出总金额", "用于画册制作的费用", "单个课题经费", "项目投入总额", "生活补贴"])
def test_money_words_in_the_name_make_a_bare_wan_yuan(name):
    assert parse_target("≤5万", level2="数量", name=name).unit == MONEY_UNIT


def test_a_bare_wan_in_an_actual_takes_the_money_unit_of_its_target():
    value = actual_of("41万", "≤43万元")
    assert (value.value, value.unit, value.fixes) == (D(410000), "元", ("unit_assumed",))


def test_only_yuan_is_money():
    assert is_money("元")
    assert not is_money("%")
    assert not is_money(None)


# --- §6 direction


def test_an_operator_word_ending_the_name_gives_the_direction():
    value = parse_target("200", level2="数量", name="审查合同份数不少于")
    assert infer_direction(value, level2="数量", name="审查合同份数不少于") == (Direction.POSITIVE, "operator")


def test_a_ge_on_a_cost_row_is_positive_by_operator():
    value = parse_target("≥0.79%", level2="成本", name="表扬书、批评书制作费用")
    assert infer_direction(value, level2="成本", name="表扬书、批评书制作费用") == (Direction.POSITIVE, "operator")


def test_a_zero_target_is_reverse():
    assert infer_direction(parse_target("0"), level2="满意度", name="退休老干部投诉率") == (Direction.REVERSE, "operator")


def test_a_satisfaction_rate_is_positive_by_keyword():
    assert infer_direction(parse_target("100%"), level2="满意度", name="用户满意度") == (Direction.POSITIVE, "keyword")


@pytest.mark.parametrize("name", ["举报投诉处置率", "立案案件办结率", "旅游投诉处理率"])
def test_a_rate_of_handling_complaints_is_positive_by_its_ending(name):
    # 投诉 alone means reverse, but the name's head noun is the rate at its end
    assert infer_direction(parse_target("90%"), level2="质量", name=name) == (Direction.POSITIVE, "keyword")


def test_a_rate_on_a_cost_row_is_positive_by_category():
    value = parse_target("100%")
    assert infer_direction(value, level2="成本", name="支出进度达标率") == (Direction.POSITIVE, "category")


def test_a_count_under_a_cost_label_is_not_a_cost_ceiling():
    # 文化产业规划及服务 (luohu 2021): a shifted 成本指标 label over 1场营商环境推介会 → 5场
    value = parse_target("1场营商环境推介会", level2="成本", name="每季度季度组织开展")
    assert value.direction is Direction.POSITIVE


def test_money_under_a_cost_label_stays_reverse():
    assert parse_target("3万元", level2="成本", name="用于戏曲专场活动的场均费用").direction is Direction.REVERSE


def test_a_duration_on_a_timeliness_row_is_reverse_by_category():
    value = parse_target("2个工作日")
    assert infer_direction(value, level2="时效", name="文稿签批后制发与印发时间") == (Direction.REVERSE, "category")


def test_complaint_counts_are_reverse_by_keyword():
    assert infer_direction(parse_target("5次"), level2="数量", name="社会公众投诉次数") == (Direction.REVERSE, "keyword")


def test_a_name_without_any_clue_defaults_to_positive():
    assert infer_direction(parse_target("1个"), level2="质量", name="文物补助点") == (Direction.POSITIVE, "default")


# --- §7 undetermined


def test_a_multi_target_answered_for_one_part_only_is_unmatched():
    assert actual_of("752人次", "2次培训,共500人次").undetermined == "multi_unmatched"


def test_a_multi_target_answered_in_another_unit_is_incompatible():
    assert actual_of("60%", "不少于12款海报,每款印制不少").undetermined == "unit_incompatible"


def test_a_multi_target_answered_for_every_part_is_comparable():
    assert actual_of("100%", "时效办结率100%,满意度100%。").undetermined is None


def test_a_multi_target_without_any_value_part_cannot_be_matched():
    target = parse_target("三季度支付2019年受理的项目,按时完成")
    assert [part.kind for part in target.parts] == [Kind.QUAL, Kind.QUAL]
    assert parse_actual("已完成", target).undetermined == "multi_unmatched"


def test_a_count_against_a_deadline_is_date_vs_value():
    assert actual_of("5次", "12月底前", fiscal_year=2021).undetermined == "date_vs_value"


def test_a_qualitative_actual_without_a_band_word_is_unmapped():
    assert actual_of("有效提升", "有效提升").undetermined == "qual_unmapped"


# --- JSON and memoisation


def test_the_json_record_has_the_section_1_shape():
    data = parse_target("预计≥1.5万件").json()
    assert data["kind"] == "quant"
    assert data["op"] == "ge"
    assert data["value"] == 15000.0
    assert data["unit"] == "件"
    assert data["extra"]["prefix"] == "预计"
    assert data["extra"]["multiplier"] == 10000
    assert data["extra"]["direction"] == "positive"


def test_dates_ranges_and_parts_serialise_plainly():
    assert parse_target("第2季度举办", fiscal_year=2021).json()["value"] == "2021-06-30"
    assert parse_target("1-2场").json()["value"] == [1.0, 2.0]
    parts = parse_target("2次培训,共500人次").json()["extra"]["parts"]
    assert [part["value"] for part in parts] == [2.0, 500.0]


def test_a_repeated_cell_is_parsed_once():
    assert parse_target("100%", level2="质量", name="发放准确率") is parse_target("100%", level2="质量", name="发放准确率")
