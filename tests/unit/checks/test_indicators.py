"""Indicator-design checks (checks.md §5) on rows rebuilt by hand from the samples."""

from __future__ import annotations

from dataclasses import replace

from builders import make_form, row

from jixiao.checks.review import review
from jixiao.domain.model import SummaryExtras


def outcomes(form, profile, code):
    return [(result.outcome.value, result.indicator) for result in review(form, profile, pick=[code]).results]


def findings(form, profile, code):
    return review(form, profile, pick=[code]).findings


def not_applicable(level2="经济效益指标"):
    return row("不适用", "不适用", "不适用", "0.0", level1="效益指标", level2=level2)


def output(name, target, actual, level2, weight="10.0"):
    return row(name, target, actual, weight, level2=level2)


SATISFACTION = row("群众满意度", "≥90%", "95%", "20.0", level1="满意度指标", level2=None)
BENEFIT = row("群众获得感", "≥90%", "95%", "20.0", level1="效益指标", level2="社会效益指标")


def well_designed_rows():
    """Every category holds what it should: a count, a rate, a deadline, a unit cost."""
    return (
        output("活动场次", "≥10场", "12场", "数量指标"),
        output("活动合格率", "100%", "100%", "质量指标"),
        output("完成时间", "2021年12月31日前", "2021年11月", "时效指标"),
        output("用于戏曲专场活动的场均费用", "≤3万元", "3万元", "成本指标"),
        not_applicable(),
        BENEFIT,
        SATISFACTION,
    )


class TestCategory:
    code = "indicator.category"

    def test_a_budget_release_filed_as_a_cost_fires(self, shenzhen):
        # shenzhen 2021 · 信息化维护项目
        form = make_form(indicators=(output("预算资金下达", "100%", "100%", "成本指标"),))
        [finding] = findings(form, shenzhen, self.code)
        assert finding.message == "指标“预算资金下达”（100%）不宜作为“成本”指标：“下达”是过程指标，不反映成本"

    def test_staying_within_the_budget_is_no_cost_measure(self, shenzhen):
        form = make_form(indicators=(output("全年支出总金额", "控制在预算数内", "75%", "成本指标"),))
        [finding] = findings(form, shenzhen, self.code)
        assert finding.message.endswith("“控制在预算内”是预算执行要求，不反映成本")

    def test_a_timeliness_row_without_any_time_fires(self, shenzhen):
        # luohu 2021 · 文化产业规划及服务
        form = make_form(indicators=(output("相关企业参与度", "≥90%", "90%", "时效指标"),))
        [finding] = findings(form, shenzhen, self.code)
        assert finding.message == "指标“相关企业参与度”（≥90%）不宜作为“时效”指标：时效指标没有时间要素（日期、周期、时长、及时或按时）"

    def test_a_contract_period_is_a_time_element(self, shenzhen):
        # luohu 2022 · 档案管理事务: 时效要求 → 合同服务期内
        form = make_form(indicators=(output("时效要求", "合同服务期内", "2022年度已完成验收", "时效指标"),))
        assert findings(form, shenzhen, self.code) == []

    def test_a_pure_count_under_quality_fires(self, shenzhen):
        form = make_form(indicators=(output("区领导企业服务次数", "10次", "16次", "质量指标"),))
        [finding] = findings(form, shenzhen, self.code)
        assert finding.message.endswith("质量指标填写了纯数量")

    def test_a_coverage_rate_under_quantity_fires(self, shenzhen):
        # luohu 2021 · 文化体育市场执法
        form = make_form(indicators=(output("经营场所检查覆盖率", "30%", "40%", "数量指标"),))
        [finding] = findings(form, shenzhen, self.code)
        assert finding.message == "指标“经营场所检查覆盖率”（30%）不宜作为“数量”指标：数量指标填写了比率（覆盖率）"

    def test_satisfaction_measured_by_complaints_fires(self, shenzhen):
        # luohu 2021 · 干部健康管理
        rows = (row("退休老干部投诉率", "0", "0", "20.0", level1="效益指标", level2="满意度指标"),)
        [finding] = findings(make_form(indicators=rows), shenzhen, self.code)
        assert finding.message.startswith("指标“退休老干部投诉率”（0）不宜作为“满意度”指标")

    def test_a_response_time_as_a_social_benefit_fires(self, shenzhen):
        # shenzhen 2021 · 信息化维护项目
        rows = (row("应急响应时间", "<2小时", "1小时", "20.0", level1="效益指标", level2="社会效益指标"),)
        [finding] = findings(make_form(indicators=rows), shenzhen, self.code)
        assert finding.message.endswith("效益指标填写了时间要求（属产出时效）")
        assert finding.found == "社会效益"

    def test_rows_in_their_right_category_stay_silent(self, shenzhen):
        form = make_form(indicators=well_designed_rows())
        assert findings(form, shenzhen, self.code) == []
        assert outcomes(form, shenzhen, self.code) == [("pass", i) for i in (0, 1, 2, 3, 5, 6)]

    def test_a_nameless_row_under_a_filled_down_label_is_named_by_its_place(self, shenzhen):
        # luohu 2021 · 干部健康管理: ⇥⇥⇥⇥100%⇥30%⇥10.0⇥3.0 lost its 二级 and its name
        nameless = replace(row(None, "100%", "30%", "10.0", "3.0"), inferred=frozenset({"level2"}))
        form = make_form(indicators=(output("退休干部健康管理次数", "1次", "1次", "数量指标"), nameless))
        [finding] = findings(form, shenzhen, self.code)
        assert finding.message.startswith("指标“第2行指标”（100%）不宜作为“数量”指标")
        assert finding.note == "二级指标由上方单元格向下填充推断"

    def test_a_row_without_any_category_label_is_undetermined(self, shenzhen):
        form = make_form(indicators=(row(None, "100%", "30%", "10.0", "3.0", level1="", level2=None),))
        assert outcomes(form, shenzhen, self.code) == [("undetermined", 0)]


class TestDuplicate:
    code = "indicator.duplicate"

    def test_three_rows_named_alike_fire_once(self, shenzhen):
        # luohu 2021 · 群众文化工作: 活动场次 ×3
        rows = (
            output("活动场次", "约90场", "95场", "数量指标"),
            output("活动场次", "≥10场", "20场", "数量指标"),
            output("活动场次", "约100场", "105场", "时效指标"),
            SATISFACTION,
        )
        [finding] = findings(make_form(indicators=rows), shenzhen, self.code)
        assert finding.message == "指标名称“活动场次”在本表重复3次"
        assert (finding.indicator, finding.found, finding.note) == (0, 3, "第1、2、3行")

    def test_equal_targets_are_mentioned(self, shenzhen):
        # luohu 2021 · 群众文化工作: 开展主题活动次数 ≥3次 → 9次 and ≥3次 → 3次
        rows = (output("开展主题活动次数", "≥3次", "9次", "数量指标"), output("开展主题活动次数", "≥3次", "3次", "质量指标"))
        [finding] = findings(make_form(indicators=rows), shenzhen, self.code)
        assert finding.message == "指标名称“开展主题活动次数”在本表重复2次（指标值亦相同）"

    def test_spaces_and_punctuation_do_not_tell_names_apart(self, national):
        rows = (output("做好会务筹备工作", "第二季度", "第二季度", "时效"), output("做好 会务筹备工作。", "第三季度", "第三季度", "时效"))
        assert outcomes(make_form(indicators=rows, year=2022), national, self.code) == [("fail", 0)]

    def test_distinct_names_stay_silent_and_not_applicable_rows_do_not_count(self, shenzhen):
        form = make_form(indicators=(*well_designed_rows(), not_applicable("生态效益指标")))
        assert outcomes(form, shenzhen, self.code) == [("pass", None)]

    def test_fewer_than_two_named_rows_is_not_applicable(self, shenzhen):
        form = make_form(indicators=(SATISFACTION, row(None, "100%", "100%", "10.0")))
        assert outcomes(form, shenzhen, self.code) == [("n/a", None)]


class TestMissingKind:
    code = "indicator.missing-kind"

    def test_a_form_without_a_timeliness_row_fires(self, shenzhen):
        # luohu 2021 · 文化体育市场: no 时效 row
        rows = tuple(r for r in well_designed_rows() if r.level2 != "时效")
        [finding] = findings(make_form(indicators=rows), shenzhen, self.code)
        assert finding.message == "产出下缺少“时效”指标（或仅填不适用）"
        assert (finding.indicator, finding.expected, finding.found) == (None, "时效", "未设置")

    def test_a_label_lost_to_forward_fill_is_named(self, shenzhen):
        # luohu 2021 · 群众体育工作: 招标、安装时间 全年开展 inherits 质量 from the row above
        filled = replace(output("招标、安装时间", "全年开展", "100%", "质量指标"), inferred=frozenset({"level2"}))
        rows = tuple(r for r in well_designed_rows() if r.level2 != "时效") + (filled,)
        [finding] = findings(make_form(indicators=rows), shenzhen, self.code)
        assert finding.message == (
            "产出下缺少“时效”指标（或仅填不适用）；“招标、安装时间”的二级指标系向下填充推断，可能遗漏了“时效”标签"
        )

    def test_benefits_that_are_all_not_applicable_fire(self, shenzhen):
        rows = tuple(r for r in well_designed_rows() if r is not BENEFIT) + (not_applicable("社会效益指标"),)
        [finding] = findings(make_form(indicators=rows), shenzhen, self.code)
        assert finding.message == "效益下缺少“效益”指标（或仅填不适用）"
        assert finding.found == "仅填不适用"

    def test_a_complete_form_passes_every_required_kind(self, shenzhen):
        form = make_form(indicators=well_designed_rows())
        assert outcomes(form, shenzhen, self.code) == [("pass", None)] * 6

    def test_the_summary_table_needs_no_cost_row(self, shenzhen):
        rows = (
            row(None, "设备购置数量≥7", "7台", "", "", level2="数量指标"),
            row(None, "各项采购设备质量合格率≥95%", "100%", "", "", level2="质量指标"),
            row(None, "按采购需求逐月完成采购项目。", "已按时完成", "", "", level2="时效指标"),
            row(None, "配备足够办公设备满足办公人员的需要", "已完成", "", "", level1="效益指标", level2="社会效益指标"),
            row(None, "满意度≥95%", "满意度96%", "", "", level1="满意度指标", level2="满意度指标"),
        )
        form = replace(make_form(indicators=rows, weight="", score="", total_score=""), summary=SummaryExtras(seq="1"))
        assert outcomes(form, shenzhen, self.code) == [("pass", None)] * 5

    def test_a_row_of_unknown_category_makes_a_missing_kind_undetermined(self, shenzhen):
        unknown = row(None, "100%", "30%", "10.0", "3.0", level1="", level2=None)
        rows = tuple(r for r in well_designed_rows() if r.level2 != "时效") + (unknown,)
        [finding] = findings(make_form(indicators=rows), shenzhen, self.code)
        assert finding.outcome.value == "undetermined"
