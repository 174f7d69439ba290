"""The evaluation report engine (domain/report.py): fed the Longgang 2022 report's own inputs,
it reproduces the report's numbers.

The inputs are written by hand from the report text (shared/samples/longgang-special-fund-
2022-report.txt): four fund categories (一、3. 资金投入和使用情况) and five sub-projects whose
数量 rows score 15/15, 10/20, 20/20, 20/20 and 5/15 (四、(三) 1. 实际完成率). The report gives
质量达标率 only as a weighted result (92%, one indicator of one sub-project not completed),
so the 质量 rows here are chosen to weigh 50 and score 46; the other kinds are all met.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from builders import make_form, row

from jixiao import profiles
from jixiao.checks.reports import review_report
from jixiao.domain.report import ReportInputs, Status, assess
from jixiao.domain.report_framework import Basis, Framework, Judgement, ReportInputError
from jixiao.domain.report_inputs import FundsFile
from jixiao.domain.report_narrative import draft

FRAMEWORK = profiles.report_framework()
NATIONAL = profiles.load("national-2020")


def quality(score: str = "10") -> object:
    return row("扶持资金拨付审核质量", "100%", "100%", "10", score, level2="质量指标")


def others() -> tuple:
    """The 时效, 效益 and 满意度 rows a sub-project met in full."""
    return (
        row("资金拨付及时率", "100%", "100%", "10", level2="时效指标"),
        row("产业发展带动作用", "有所提升", "有所提升", "10", level1="效益指标", level2="社会效益指标"),
        row("扶持对象满意度", "≥90%", "100%", "10", level1="满意度指标", level2=None),
    )


def sub_projects() -> tuple:
    sport = make_form(
        name="体育产业类",
        indicators=(
            row("扶持发展职业俱乐部类项目", "3个", "3个", "5"),
            row("扶持高端体育赛事类项目", "2个", "2个", "5"),
            row("扶持文体旅融合发展类项目", "3个", "3个", "5"),
            quality(),
            *others(),
        ),
    )
    tourism = make_form(
        name="旅游产业类",
        indicators=(
            row("星级酒店展会扶持", "2次", "0次", "10", "0", deviation="受疫情影响，大型展会均延期未开展。改进措施：根据防疫政策调整扶持计划。"),
            row("旅游企业特色文化活动扶持", "1个", "4个", "10"),
            quality(),
            *others(),
        ),
    )
    culture = make_form(name="文化产业类", indicators=(row("文化企业扶持", "235家", "235家", "20"), quality(), *others()))
    talent_centre = make_form(
        name="人才发展专项（文促中心）",
        indicators=(
            row("人才拨付数量", "20人", "23人", "5"),
            row("学术研究文章数量", "2篇", "2篇", "5"),
            row("古建筑知识培训", "2场", "2场", "5"),
            row("咨询服务事项", "≥30项", "61项", "5"),
            quality(),
            *others(),
        ),
    )
    talent_bureau = make_form(
        name="人才发展专项（局本级）",
        indicators=(
            row("网球培训次数", "≥30次", "40次", "5"),
            row("龙岗区管乐提升", "1次", "0次", "5", "0", deviation="因疫情原因，计划引进的人才无法开展工作。"),
            row("龙岗区国乐提升", "1次", "0次", "5", "0", deviation="因疫情原因，计划引进的人才无法开展工作。"),
            quality("6"),
            *others(),
        ),
    )
    return (sport, tourism, culture, talent_centre, talent_bureau)


FUNDS = {
    "unit": "万元",
    "categories": [
        {"name": "体育产业类", "budget": 4940, "spent": 4910},
        {"name": "旅游产业类", "budget": 40, "spent": 39.65},
        {"name": "文化产业类", "budget": 2700, "spent": 2700},
        {"name": "人才发展专项", "budget": 460, "spent": 460},
    ],
}


def all_met() -> dict:
    """Every scoring point of every judged indicator marked met, as the report scores them."""
    return {
        "indicators": {
            item.name: {"points": {point.number: "met" for point in item.points}}
            for item in FRAMEWORK.indicators
            if item.basis is Basis.JUDGEMENT
        }
    }


def inputs(funds: dict | None = None, forms: tuple | None = None) -> ReportInputs:
    chosen = FundsFile.from_mapping(funds or FUNDS)
    return ReportInputs(
        subject="文化广电旅游体育专项资金",
        categories=chosen.categories,
        forms=sub_projects() if forms is None else forms,
        organisation="深圳市龙岗区文化广电旅游体育局",
        year=2022,
        planned_cost=chosen.planned_cost,
        actual_cost=chosen.actual_cost,
    )


def judgement(data: dict | None = None) -> Judgement:
    return Judgement.from_mapping(all_met() if data is None else data, FRAMEWORK)


@pytest.fixture(scope="module")
def sample_assessment():
    return assess(FRAMEWORK, inputs(), judgement(), NATIONAL)


def test_the_framework_weighs_decision_process_output_and_benefit_20_20_40_20():
    assert FRAMEWORK.level1_weights == {"决策": 20, "过程": 20, "产出": 40, "效益": 20}
    assert len(FRAMEWORK.indicators) == 17


def test_the_arrival_rate_of_the_sample_is_100_percent_and_earns_2_of_2(sample_assessment):
    result = sample_assessment.result("资金到位率")
    assert (result.achieved, result.score, result.status) == ("100%", Decimal("2.00"), Status.COMPUTED)


def test_the_execution_rate_is_8109_65_of_8140_so_99_63_percent_and_4_98_of_5(sample_assessment):
    result = sample_assessment.result("预算执行率")
    assert result.achieved == "99.63%"
    assert result.score == Decimal("4.98")
    assert result.computation.numerator == (Decimal("8109.65"),)
    assert result.computation.denominator == (Decimal("8140"),)


def test_the_completion_rate_rolls_up_the_quantity_rows_70_of_90_to_78_percent_and_7_8(sample_assessment):
    result = sample_assessment.result("实际完成率")
    assert result.computation.numerator == (15, 10, 20, 20, 5)
    assert result.computation.denominator == (15, 20, 20, 20, 15)
    assert (result.achieved, result.score) == ("78%", Decimal("7.80"))
    assert len(result.contributions) == 3 + 2 + 1 + 4 + 3  # every 数量 row of the five forms, each traceable


def test_the_quality_rate_is_46_of_50_so_92_percent_and_9_2(sample_assessment):
    result = sample_assessment.result("质量达标率")
    assert (result.achieved, result.score) == ("92%", Decimal("9.20"))


def test_the_sample_totals_96_98_and_is_graded_excellent(sample_assessment):
    # 20 + (2 + 4.98 + 4 + 4 + 5) + (7.8 + 9.2 + 10 + 10) + (10 + 10)
    assert sample_assessment.total == Decimal("96.98")
    assert sample_assessment.grade == "优"
    assert sample_assessment.complete
    assert [(name, score) for name, _, score in sample_assessment.by_level1()] == [
        ("决策", 20), ("过程", Decimal("19.98")), ("产出", 37), ("效益", 20)
    ]


def test_the_cost_saving_rate_is_recomputed_not_taken_as_100_percent(sample_assessment):
    # (8140 − 8109.65) ÷ 8140 = 0.37%: 计划成本 defaults to the budget (评分标准: 一般以项目预算为参考).
    result = sample_assessment.result("成本节约率")
    assert result.achieved == "0.37%"
    assert result.status is Status.MANUAL  # no rule maps the rate to a score (scoring.md Q13)
    assert result.score == 10  # the default: 实际成本 within 计划成本


def test_with_the_reports_own_costs_the_cost_saving_rate_is_0_percent():
    stated = {**FUNDS, "planned_cost": 8109.65, "actual_cost": 8109.65}
    result = assess(FRAMEWORK, inputs(stated), judgement(), NATIONAL).result("成本节约率")
    assert result.achieved == "0%"


def test_an_overrun_of_the_planned_cost_lowers_the_default_cost_score():
    overrun = {**FUNDS, "planned_cost": 100, "actual_cost": 110}
    result = assess(FRAMEWORK, inputs(overrun), judgement(), NATIONAL).result("成本节约率")
    assert (result.achieved, result.score) == ("-10%", Decimal("9.00"))


def test_an_unmet_scoring_point_deducts_its_points_with_the_evaluators_reason():
    data = all_met()
    data["indicators"]["预算编制科学性"]["points"][3] = {"met": False, "reason": "预算主要依据以往年度申请规模估计确定"}
    result = assess(FRAMEWORK, inputs(), judgement(data), NATIONAL).result("预算编制科学性")
    assert result.score == 3
    assert result.achieved == "不够科学"
    assert [(d.point.number, d.amount, d.reason) for d in result.deductions] == [
        (3, 1, "预算主要依据以往年度申请规模估计确定")
    ]


def test_a_partial_deduction_takes_off_only_what_the_evaluator_says():
    data = all_met()
    data["indicators"]["立项程序规范性"]["points"][1] = {"met": False, "deduct": 0.5, "reason": "未见申请文件"}
    assert assess(FRAMEWORK, inputs(), judgement(data), NATIONAL).result("立项程序规范性").score == Decimal("1.5")


def test_a_deduction_without_a_reason_is_an_error_naming_the_point():
    data = all_met()
    data["indicators"]["资金使用合规性"]["points"][4] = {"met": False}
    with pytest.raises(ReportInputError) as raised:
        judgement(data)
    assert raised.value.problems == ("“资金使用合规性”的评分点④未达到，须写明扣分理由（reason）",)


def test_every_problem_of_a_judgement_file_is_reported_at_once():
    data = {
        "indicators": {
            "立项依据是否充分": {"points": {1: "met"}},
            "立项依据充分性": {"points": {6: "met", 1: {"met": False, "deduct": 2, "reason": "无依据"}}},
            "预算执行率": {"score": 3},
        }
    }
    with pytest.raises(ReportInputError) as raised:
        judgement(data)
    assert raised.value.problems == (
        "指标体系中没有三级指标“立项依据是否充分”",
        "“立项依据充分性”没有评分点6（共5条）",
        "“立项依据充分性”的评分点①扣分2应大于0且不超过其分值1",
        "“预算执行率”得分3低于权重5，须写明扣分理由（reason）",
    )


def test_a_score_given_beside_marked_points_or_points_that_are_not_a_mapping_are_errors():
    data = {"indicators": {"立项程序规范性": {"score": 2, "points": {1: "met"}}, "绩效目标合理性": {"points": ["met"]}}}
    with pytest.raises(ReportInputError) as raised:
        judgement(data)
    assert raised.value.problems == (
        "“立项程序规范性”不能同时给出score和逐条评分点",
        "“绩效目标合理性”的points应为以评分点编号为键的映射",
    )


def test_an_indicator_the_evaluator_has_not_judged_is_undetermined_and_the_report_not_graded():
    data = all_met()
    del data["indicators"]["绩效目标合理性"]
    assessment = assess(FRAMEWORK, inputs(), judgement(data), NATIONAL)
    assert assessment.result("绩效目标合理性").status is Status.UNDETERMINED
    assert not assessment.complete
    assert assessment.grade is None
    assert assessment.total == Decimal("92.98")


def test_points_left_unmarked_keep_an_indicator_undetermined():
    data = all_met()
    data["indicators"]["制度执行有效性"]["points"] = {1: "met", 2: "met"}
    result = assess(FRAMEWORK, inputs(), judgement(data), NATIONAL).result("制度执行有效性")
    assert result.status is Status.UNDETERMINED
    assert result.explain == "评分点③④尚未评定"


def test_the_evaluator_may_set_a_computed_indicators_score_with_a_reason():
    data = all_met()
    data["indicators"]["成本节约率"] = {"score": 8, "reason": "成本节约率仅0.37%"}
    result = assess(FRAMEWORK, inputs(), judgement(data), NATIONAL).result("成本节约率")
    assert (result.status, result.score, result.achieved) == (Status.JUDGED, 8, "0.37%")


def test_a_roll_up_skips_placeholder_rows_caps_a_score_at_its_weight_and_names_a_missing_score():
    form = make_form(
        name="测试子项目",
        indicators=(
            row("活动场次", "≥10场", "12场", "10", "12"),  # printed above its weight: counts as 10
            row("不适用", "不适用", "不适用", "0", "0"),
            row("宣传次数", "≥4次", "2次", "10", ""),  # no score printed: left out, and said so
            row("培训人次", "≥100人次", "50人次", "10", "5"),
        ),
    )
    result = assess(FRAMEWORK, inputs(forms=(form,)), judgement(), NATIONAL).result("实际完成率")
    assert result.computation.numerator == (15,)
    assert result.computation.denominator == (20,)
    assert result.achieved == "75%"
    assert "得分缺失未计入：测试子项目·宣传次数" in result.explain


def test_a_kind_no_sub_project_has_is_undetermined():
    form = make_form(name="测试子项目", indicators=(row("活动场次", "≥10场", "12场", "100"),))
    result = assess(FRAMEWORK, inputs(forms=(form,)), judgement(), NATIONAL).result("完成及时性")
    assert result.status is Status.UNDETERMINED
    assert result.explain == "子项目自评表中没有适用的时效指标"


def test_a_funds_file_defaults_arrival_to_the_budget_and_checks_its_amounts():
    funds = FundsFile.from_mapping({"unit": "万元", "categories": [{"name": "甲类", "budget": 10, "spent": 9.5}]})
    assert funds.categories[0].arrived.value == Decimal(100000)
    assert funds.categories[0].spent.value == Decimal("95000.0")
    with pytest.raises(ReportInputError) as raised:
        FundsFile.from_mapping({"unit": "千元", "categories": [{"name": "甲类", "budget": 10}]})
    assert raised.value.problems == ("unit 应为 万元 或 元，不是“千元”", "“甲类”的spent应为不小于0的金额，不是None")


def test_a_framework_whose_points_do_not_add_up_to_the_weight_is_refused():
    data = {
        "level1": [
            {"name": "决策", "weight": 100, "groups": [{"name": "项目立项", "indicators": [
                {"name": "立项依据充分性", "weight": 100, "basis": "judgement", "points": [["依据充分", 5]]}
            ]}]}
        ]
    }  # fmt: skip
    with pytest.raises(ReportInputError) as raised:
        Framework.from_mapping(data)
    assert raised.value.problems == ("“立项依据充分性”评分点分值合计5，与权重100不符",)


def test_a_complete_draft_passes_its_own_report_checks(sample_assessment):
    report = draft(FRAMEWORK, inputs(), sample_assessment, judgement(), NATIONAL)
    review = review_report(report, NATIONAL)
    assert review.flatten("code", "outcome") == []
    assert {result.code for result in review.results} == {"report.weights", "report.total", "report.formula", "grade.mismatch"}
    assert (report.total.text, report.grade_claimed) == ("96.98", "优")


def test_the_draft_states_the_computations_as_the_sample_writes_them(sample_assessment):
    report = draft(FRAMEWORK, inputs(), sample_assessment, judgement(), NATIONAL)
    paragraphs = {section.key: section.paragraphs for section in report.sections}
    assert paragraphs["indicator.预算执行率"][0] == "预算执行率=（8109.65万元/8140万元）×100%=99.63%，5分×99.63%，得4.98分，扣0.02分。"
    assert paragraphs["indicator.实际完成率"][-1] == "综上，实际完成率=[(15+10+20+20+5)/(15+20+20+20+15)]×100%=78%，得7.8分，扣2.2分。"
    assert paragraphs["conclusion"][0] == "经评价，文化广电旅游体育专项资金综合评价得分96.98分，评价等级为“优”，具体情况见附表。"


def test_problems_group_the_deviation_causes_and_suggestions_quote_the_corrective_actions(sample_assessment):
    report = draft(FRAMEWORK, inputs(), sample_assessment, judgement(), NATIONAL)
    paragraphs = {section.key: section.paragraphs for section in report.sections}
    problems, suggestions = paragraphs["problems"], paragraphs["suggestions"]
    assert problems[0].startswith("（一）受疫情等外部因素影响。涉及3项指标：旅游产业类“星级酒店展会扶持”")
    assert "原因：受疫情影响，大型展会均延期未开展；因疫情原因，计划引进的人才无法开展工作。" in problems[0]
    assert problems[1].startswith("（二）未说明偏差原因。涉及1项指标：人才发展专项（局本级）“扶持资金拨付审核质量”")
    assert suggestions[-1] == "各子项目单位提出的改进措施：根据防疫政策调整扶持计划。"


def test_the_evaluator_can_replace_a_drafted_section(sample_assessment):
    data = all_met()
    data["sections"] = {"suggestions": "（一）强化项目主管部门责任。\n（二）加强项目绩效目标审核把关。"}
    report = draft(FRAMEWORK, inputs(), sample_assessment, judgement(data), NATIONAL)
    chosen = next(section for section in report.sections if section.key == "suggestions")
    assert chosen.paragraphs == ("（一）强化项目主管部门责任。", "（二）加强项目绩效目标审核把关。")
