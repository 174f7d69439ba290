"""Target checks (checks.md §4) on rows rebuilt by hand from the samples."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from builders import make_form, row

from jixiao.checks.base import Context
from jixiao.checks.review import review
from jixiao.checks.targets import Missing
from jixiao.domain.model import SummaryExtras
from jixiao.domain.scoring import evaluate


def outcomes(form, profile, code):
    """Every result of one check as (outcome, indicator), passes and n/a included."""
    return [(result.outcome.value, result.indicator) for result in review(form, profile, pick=[code]).results]


def findings(form, profile, code):
    return review(form, profile, pick=[code]).findings


def not_applicable(name="不适用", level1="效益指标", level2="经济效益指标"):
    return row(name, "不适用", "不适用", "0.0", level1=level1, level2=level2)


# luohu 2022 · 干部健康管理, as printed (产出 50, 效益 30, 满意度 10).
def health_2022_rows():
    return (
        row("保障处级干部健康管理人数", "11", "11", "7.50", level1="产出(50分)", level2="数量", deviation=None),
        row("保障局级干部健康管理人数", "4", "4", "7.50", level1="产出(50分)", level2="数量", deviation=None),
        row("处级以上干部健康管理品质", "优", "100%", "15.00", level1="产出(50分)", level2="质量", deviation=None),
        row("及时发放或划转", "12月底前", "12月底前已发放", "10.00", level1="产出(50分)", level2="时效", deviation=None),
        row("按标准控制总成本", "100%", "100%", "10.00", level1="产出(50分)", level2="成本", deviation=None),
        row("无", "无", "无", "0", "0.00", level1="效益(30分)", level2="经济效益", deviation=None),
        row("提现组织关怀", "效果显著", "100%", "30.00", level1="效益(30分)", level2="社会效益", deviation=None),
        row("处级以上干部健康管理满意度", "100%", "100%", "10.00", level1="满意度(10分)", level2="服务对象满意度", deviation=None),
    )


def summary_form(*rows):
    form = make_form(indicators=rows, weight="", score="", total_weight="", total_score="")
    return replace(form, summary=SummaryExtras(seq="1", issues="无"))


def summary_row(target, actual, level2):
    level1 = "满意度指标" if level2 == "满意度指标" else "产出指标"
    return row(None, target, actual, "", "", level1=level1, level2=level2, deviation=None)


class TestVague:
    code = "target.vague"

    def test_a_grade_word_as_a_quality_target_fires_and_asks_for_a_number(self, national):
        form = make_form(indicators=health_2022_rows(), year=2022, layout="form-2022")
        [finding] = [f for f in findings(form, national, self.code) if f.indicator == 2]
        assert finding.outcome.value == "fail"
        assert finding.message == "指标“处级以上干部健康管理品质”的指标值“优”不可衡量，建议量化（该类指标应为定量）"
        assert finding.cells["年度指标值"] == "优"

    def test_a_vague_benefit_target_fires_without_the_quantitative_suffix(self, national):
        form = make_form(indicators=health_2022_rows(), year=2022, layout="form-2022")
        [finding] = [f for f in findings(form, national, self.code) if f.indicator == 6]
        assert finding.message == "指标“提现组织关怀”的指标值“效果显著”不可衡量，建议量化"
        assert finding.note == "模糊用语“效果显著”"

    def test_in_time_as_a_timeliness_target_is_vague(self, shenzhen):
        rows = (row("文化活动预告发布", "及时", "100%", "10.0", level2="时效指标"),)
        assert outcomes(make_form(indicators=rows), shenzhen, self.code) == [("fail", 0)]

    def test_a_description_without_a_number_is_unmeasurable_even_without_a_vague_word(self, shenzhen):
        # summary · 区人才发展专项: 优 inside 优秀 is not the grade word 优
        rows = (row("经济效益", "吸引优秀人才聚集", "100%", "20.0", level1="效益指标", level2="经济效益指标"),)
        [finding] = findings(make_form(indicators=rows), shenzhen, self.code)
        assert finding.note == "无可衡量的要素"

    def test_a_summary_row_is_judged_too(self, shenzhen):
        # summary · 办公设备购置 时效
        form = summary_form(summary_row("按采购需求逐月完成采购项目。", "已按时完成", "时效指标"))
        [finding] = findings(form, shenzhen, self.code)
        assert finding.message == "指标“时效指标”的指标值“按采购需求逐月完成采购项目。”不可衡量，建议量化"

    def test_quantified_targets_stay_silent(self, shenzhen):
        form = make_form()
        assert findings(form, shenzhen, self.code) == []
        assert ("pass", 0) in outcomes(form, shenzhen, self.code)

    def test_not_applicable_rows_are_not_judged(self, shenzhen):
        form = make_form(indicators=(not_applicable(), not_applicable(level2="生态效益指标")))
        assert outcomes(form, shenzhen, self.code) == [("n/a", None)]


class TestMissing:
    code = "target.missing"

    def test_a_truncated_target_fires(self, shenzhen):
        # luohu 2021 · 文化体育市场
        name = "10名志愿者对罗湖区星级宾馆酒店等文体场馆每周巡查数量"
        form = make_form(indicators=(row(name, "每周巡查星级宾馆酒店、网吧、", "200家次/周", "10.0"),))
        [finding] = findings(form, shenzhen, self.code)
        assert (finding.outcome.value, finding.indicator) == ("fail", 0)
        assert finding.message == f"指标“{name}”缺少有效的年度指标值（“每周巡查星级宾馆酒店、网吧、”）"

    def test_a_label_as_the_target_of_a_summary_row_fires(self, shenzhen):
        # summary · 其他一般管理事务 满意度: target and outcome swapped
        form = summary_form(summary_row("社会满意度", "社会满意度≥95%", "满意度指标"))
        [finding] = findings(form, shenzhen, self.code)
        assert finding.message == "指标“满意度指标”缺少有效的年度指标值（“社会满意度”）"

    def test_complete_targets_stay_silent(self, shenzhen):
        form = make_form()
        assert findings(form, shenzhen, self.code) == []
        assert outcomes(form, shenzhen, self.code)[0] == ("pass", 0)

    def test_an_empty_target_on_a_row_weighted_zero_is_not_required(self, shenzhen):
        form = make_form(indicators=(row("活动场次", "≥10场", "12场", "10.0"), row("备用", "", "", "0.0")))
        assert outcomes(form, shenzhen, self.code) == [("pass", 0)]

    def test_rows_that_cannot_be_aligned_with_their_evaluation_are_undetermined(self, shenzhen):
        form = make_form()
        evaluation = evaluate(form, shenzhen)
        shorter = replace(evaluation, indicators=evaluation.indicators[:-1])
        [result] = list(Missing().evaluate(Context(form, shorter, shenzhen)))
        assert result.outcome.value == "undetermined"


class TestMulti:
    code = "target.multi"

    def test_two_measures_in_one_target_fire(self, shenzhen):
        # luohu 2021 · 旅游市场
        form = make_form(indicators=(row("指标1:培训", "2次培训,共500人次", "752人次", "4.0"),))
        [finding] = findings(form, shenzhen, self.code)
        assert finding.message == "指标“指标1:培训”一个指标含2个指标值，请拆分为单独指标"
        assert (finding.expected, finding.found) == (1, 2)

    def test_two_rates_in_one_target_fire(self, shenzhen):
        form = make_form(indicators=(row("指标2:旅游投诉处理", "时效办结率100%,满意度100%。", "100%", "4.0", level2="质量指标"),))
        assert outcomes(form, shenzhen, self.code) == [("fail", 0)]

    def test_single_values_stay_silent(self, shenzhen):
        assert findings(make_form(), shenzhen, self.code) == []

    def test_an_invalid_target_is_left_to_target_missing(self, shenzhen):
        form = make_form(indicators=(row("巡查", "每周巡查星级宾馆酒店、网吧、", "200家次/周", "10.0"),))
        assert outcomes(form, shenzhen, self.code) == [("n/a", None)]


class TestDirection:
    code = "target.direction"

    def test_at_least_on_a_cost_row_fires(self, national):
        # luohu 2022 · 督查及绩效事务
        rows = (row("表扬书、批评书制作费用", "≥0.79%", "2.98%", "10.00", level1="产出(50分)", level2="成本", deviation=None),)
        [finding] = findings(make_form(indicators=rows, year=2022), national, self.code)
        assert finding.message == "指标“表扬书、批评书制作费用”方向“≥”与指标性质（成本指标为反向指标）不符"
        assert (finding.expected, finding.found) == ("反向指标", "正向指标")

    def test_at_most_on_a_quantity_row_fires(self, national):
        # luohu 2022 · 行政运行
        rows = (row("聘请临聘人员数量", "≤8人", "7名", "7.50", level1="产出(50分)", level2="数量", deviation=None),)
        [finding] = findings(make_form(indicators=rows, year=2022), national, self.code)
        assert "方向“≤”" in finding.message
        assert finding.expected == "正向指标"

    def test_at_least_on_a_quantity_row_stays_silent(self, shenzhen):
        form = make_form(indicators=(row("展品数量", "≥1500件", "3567件", "2.0"),))
        assert outcomes(form, shenzhen, self.code) == [("pass", 0)]

    def test_a_target_without_an_operator_is_not_applicable(self, shenzhen):
        form = make_form(indicators=(row("保障工作人员人数", "46人", "46人", "15.0"),))
        assert outcomes(form, shenzhen, self.code) == [("n/a", None)]


class TestLow:
    code = "target.low"

    def test_more_than_twice_the_target_fires(self, shenzhen):
        # luohu 2021 · 群众文化工作: ≥1500件 → 3567件, 3567 ÷ 1500 = 2.378
        form = make_form(indicators=(row("展品数量", "≥1500件", "3567件", "2.0"),))
        [finding] = findings(form, shenzhen, self.code)
        assert finding.message == "“展品数量”完成值为指标值的2.38倍，指标值可能设定偏低"
        assert (finding.expected, finding.found) == (1.5, 2.38)

    def test_a_ratio_below_the_flag_stays_silent(self, shenzhen):
        # 1800 ÷ 1500 = 1.2
        form = make_form(indicators=(row("展览面积", "≥1500平米", "1800平米", "2.0"),))
        assert outcomes(form, shenzhen, self.code) == [("pass", 0)]

    def test_the_flag_ratio_is_the_profile_s(self, shenzhen):
        strict = replace(shenzhen, flag_ratio=Decimal("1.2"))
        form = make_form(indicators=(row("展览面积", "≥1500平米", "1800平米", "2.0"),))
        assert outcomes(form, strict, self.code) == [("fail", 0)]

    def test_a_reverse_row_is_judged_by_target_over_actual(self, shenzhen):
        # shenzhen 2021 · 信息化维护项目: <2小时 → 1小时, 2 ÷ 1 = 2
        rows = (row("应急响应时间", "<2小时", "1小时", "20.0", level1="效益指标", level2="社会效益指标"),)
        [finding] = findings(make_form(indicators=rows), shenzhen, self.code)
        assert finding.found == 2.0

    def test_a_per_capita_target_without_a_headcount_is_undetermined(self, shenzhen):
        # luohu 2021 · 干部健康管理: 每人每年一次 → 5次
        form = make_form(indicators=(row("退休干部健康管理次数", "每人每年一次", "5次", "10.0", "5.0"),))
        assert outcomes(form, shenzhen, self.code) == [("undetermined", 0)]

    def test_qualitative_and_not_applicable_rows_are_not_applicable(self, shenzhen):
        rows = (row("群众获得感", "有效提升", "100%", "20.0", level1="效益指标", level2="社会效益指标"), not_applicable())
        assert outcomes(make_form(indicators=rows), shenzhen, self.code) == [("n/a", None)]
