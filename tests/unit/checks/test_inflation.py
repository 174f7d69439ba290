"""Inflation signals (checks.md §7) on forms rebuilt by hand from the samples."""

from __future__ import annotations

from dataclasses import replace

from builders import make_form, row

from jixiao.checks.review import review
from jixiao.domain.model import SummaryExtras


def outcomes(form, profile, code):
    return [(result.outcome.value, result.indicator) for result in review(form, profile, pick=[code]).results]


def findings(form, profile, code):
    return review(form, profile, pick=[code]).findings


def block(level1, level2):
    return {"level1": level1, "level2": level2, "deviation": None}


# luohu 2022 · 干部健康管理: every row at full marks, total 95.98, rate 64,531 / 108,000 = 59.75%.
def health_2022(goals_actual="严格按照标准划拨疗养费。受疫情影响，为配合疫情防控工作，未能如期完成干部疗养，预计2023年继续使用"):
    rows = (
        row("保障处级干部健康管理人数", "11", "11", "7.50", **block("产出(50分)", "数量")),
        row("保障局级干部健康管理人数", "4", "4", "7.50", **block("产出(50分)", "数量")),
        row("处级以上干部健康管理品质", "优", "100%", "15.00", **block("产出(50分)", "质量")),
        row("及时发放或划转", "12月底前", "12月底前已发放", "10.00", **block("产出(50分)", "时效")),
        row("按标准控制总成本", "100%", "100%", "10.00", **block("产出(50分)", "成本")),
        row("无", "无", "无", "0", "0.00", **block("效益(30分)", "经济效益")),
        row("提现组织关怀", "效果显著", "100%", "30.00", **block("效益(30分)", "社会效益")),
        row("处级以上干部健康管理满意度", "100%", "100%", "10.00", **block("满意度(10分)", "服务对象满意度")),
    )
    return make_form(
        initial="108000.00",
        adjusted="108000",
        executed="64531",
        rate="59.7",
        rate_scale=100,
        score="5.98",
        indicators=rows,
        total_weight="100.00",
        total_score="95.98",
        goals_actual=goals_actual,
        year=2022,
        layout="form-2022",
    )


# luohu 2021 · 干部健康管理: 55,964 / 100,000, the 数量 rows scored 5/10 and 3/10.
def health_2021(cost_actual="56%", cost_score="15.0"):
    rows = (
        row("退休干部健康管理次数", "每人每年一次", "5次", "10.0", "5.0", deviation="偏差原因：受疫情影响，多数人无法安排前往消费。"),
        row("退休干部疗养覆盖率", "100%", "30%", "10.0", "3.0", deviation="偏差原因：受疫情影响，多数人无法安排前往消费。"),
        row("完成此项任务", "在组织部文件规定时限内", "100%", "15.0", level2="时效指标"),
        row("年度预算支出总金额", "控制在预算数内", cost_actual, "15.0", cost_score, level2="成本指标"),
        row("提升老干部退休生活幸福度", "有效提升", "100%", "20.0", level1="效益指标", level2="社会效益指标"),
        row("退休老干部投诉率", "0", "0", "20.0", level1="效益指标", level2="满意度指标"),
    )
    return make_form(adjusted="100000.00", executed="55964.00", rate="0.56", score="5.60", indicators=rows)


class TestLowExecFullOutput:
    code = "inflation.low-exec-full-output"

    def test_every_quantity_at_full_marks_on_a_low_rate_fires(self, national):
        [finding] = findings(health_2022(), national, self.code)
        assert finding.message == "预算执行率仅59.75%，数量指标却全部得满分，请核实产出完成情况"
        assert finding.expected == 0.8

    def test_a_quantity_row_below_full_marks_passes(self, shenzhen):
        assert outcomes(health_2021(), shenzhen, self.code) == [("pass", None)]

    def test_a_rate_above_the_threshold_passes(self, shenzhen):
        assert outcomes(make_form(), shenzhen, self.code) == [("pass", None)]

    def test_a_rate_that_cannot_be_computed_is_undetermined(self, shenzhen):
        form = make_form(adjusted="", executed="55964.00", rate="—", score="5.60")
        assert outcomes(form, shenzhen, self.code) == [("undetermined", None)]

    def test_no_applicable_quantity_row_is_undetermined(self, shenzhen):
        rows = (row("活动合格率", "100%", "100%", "50.0", level2="质量指标"),)
        form = make_form(executed="50000.00", rate="0.50", score="5.00", indicators=rows)
        assert outcomes(form, shenzhen, self.code) == [("undetermined", None)]


class TestCostUnderspend:
    code = "inflation.cost-underspend"

    def test_full_marks_for_a_budget_barely_spent_fire(self, shenzhen):
        # luohu 2021 · 干部健康管理: 控制在预算数内 → 56%, 15/15, rate 0.56
        [finding] = findings(health_2021(), shenzhen, self.code)
        assert finding.indicator == 3
        assert finding.message == "成本指标“年度预算支出总金额”以未支出资金得满分（执行率55.96%，完成值56%），结余不等于节约"

    def test_a_cost_actual_at_most_80_percent_fires_even_on_a_spent_budget(self, shenzhen):
        # luohu 2021 · 文化体育市场执法: 控制在预算数内 → 75%, 2/2; funds 2,377,046.46 / 2,381,700
        rows = (row("全年支出总金额", "控制在预算数内", "75%", "2.0", level2="成本指标"),)
        form = make_form(adjusted="2381700.00", executed="2377046.46", rate="1.00", indicators=rows)
        assert outcomes(form, shenzhen, self.code) == [("fail", 0)]

    def test_a_cost_spent_in_full_on_a_spent_budget_passes(self, shenzhen):
        # luohu 2021 · 预算准备金: 90%, rate 0.90
        rows = (row("全年支出总金额", "控制在预算数内", "90%", "15.0", level2="成本指标"),)
        form = make_form(adjusted="300000.00", executed="271122.53", rate="0.90", score="9.00", indicators=rows)
        assert outcomes(form, shenzhen, self.code) == [("pass", 0)]

    def test_a_zero_cost_scored_zero_is_the_precedent_and_passes(self, national):
        # luohu 2022 · 办文办会事务: ≤133,500元 → 0, scored 0/5
        rows = (row("尾款费用", "≤133,500元", "0", "5.00", "0.00", **block("产出(50分)", "成本")),)
        form = make_form(adjusted="1662200.00", executed="1429601.95", rate="86", rate_scale=100, indicators=rows)
        assert outcomes(form, national, self.code) == [("pass", 0)]

    def test_a_zero_cost_given_points_fires(self, national):
        rows = (row("尾款费用", "≤133,500元", "0", "5.00", "2.50", **block("产出(50分)", "成本")),)
        form = make_form(adjusted="1662200.00", executed="1429601.95", rate="86", rate_scale=100, indicators=rows)
        assert outcomes(form, national, self.code) == [("fail", 0)]

    def test_a_form_without_cost_rows_is_not_applicable(self, shenzhen):
        rows = (row("活动场次", "≥10场", "12场", "90.0"),)
        assert outcomes(make_form(indicators=rows), shenzhen, self.code) == [("n/a", None)]

    def test_an_unreadable_actual_with_no_rate_is_undetermined(self, shenzhen):
        rows = (row("全年支出总金额", "控制在预算数内", "按要求控制", "15.0", level2="成本指标"),)
        form = make_form(adjusted="", executed="", rate="—", score="", indicators=rows)
        assert outcomes(form, shenzhen, self.code) == [("undetermined", 0)]


class TestNarrativeContradiction:
    code = "inflation.narrative-contradiction"

    def test_an_admission_with_no_row_to_link_fires_on_a_total_of_95_or_more(self, national):
        [finding] = findings(health_2022(), national, self.code)
        assert finding.indicator is None
        assert finding.message == "完成情况称“未能如期完成干部疗养，预计2023年继续使用”，相关指标“各项指标”却得满分"
        assert finding.found == 95.98

    def test_an_admission_fires_on_the_linked_row_at_full_marks(self, national):
        # luohu 2022 · 办文办会事务
        narrative = "3.完成两份课题报告并完成验收。 4.受疫情影响，罗湖区电子政务内网终端延伸部署建设项目没有最终验收。"
        rows = (
            row("课题报告", "≥2份", "2份", "50.00", **block("产出(50分)", "数量")),
            row("完成政务内网延伸部署，早日构建我区完整的政务办公体系。", "加快敏感公文规范化流转", "100%", "15.00",
                **block("效益 (30分)", "社会效益")),
            row("罗湖区电子政务内网终端延伸部署建设项目尾款费用", "≤133,500元", "0", "5.00", "0.00",
                **block("产出(50分)", "成本")),
        )
        form = make_form(indicators=rows, goals_actual=narrative, year=2022)
        assert outcomes(form, national, self.code) == [("fail", 1), ("pass", 2)]
        [finding] = findings(form, national, self.code)
        assert finding.message.startswith("完成情况称“罗湖区电子政务内网终端延伸部署建设项目没有最终验收”")

    def test_a_narrative_without_admissions_passes(self, national):
        assert outcomes(health_2022("严格按照标准划拨疗养费，全部完成。"), national, self.code) == [("pass", None)]

    def test_an_admission_on_a_form_below_95_passes(self, shenzhen):
        form = make_form(goals_actual="部分活动未能如期开展。", total_score="90")
        assert outcomes(form, shenzhen, self.code) == [("pass", None)]

    def test_an_empty_narrative_is_undetermined(self, national):
        assert outcomes(health_2022(goals_actual=None), national, self.code) == [("undetermined", None)]

    def test_a_summary_row_that_admits_and_reports_no_problem_fires(self, shenzhen):
        # summary · 文博会: 未举办分会场评选活动, 项目执行中的问题 无
        rows = (
            row(None, "组织全区文化产业园区申报文博会分会场,争取评选出优秀文博会分会场。", "组织区内30家文化企业参展。", "", "",
                level2="数量指标", deviation=None),
            row(None, "有效组织开展主会场展览展示活动", "因新冠疫情影响,文博会组委会未举办分会场评选活动。", "", "",
                level2="质量指标", deviation=None),
        )
        form = make_form(indicators=rows, weight="", score="", total_score="", goals_actual="受疫情影响,第十六届文博会以线上方式举行。")
        silent = replace(form, summary=SummaryExtras(seq="2", issues="因疫情未举办分会场评选，已在下年度补办。"))
        loud = replace(form, summary=SummaryExtras(seq="2", issues="无"))
        assert {o for o, _ in outcomes(silent, shenzhen, self.code)} == {"pass"}
        assert ("fail", 1) in outcomes(loud, shenzhen, self.code)


class TestQual100:
    code = "inflation.qual-100"

    def test_a_vague_benefit_at_100_percent_and_full_marks_without_a_word_fires(self, shenzhen):
        # luohu 2021 · 群众文化工作
        name = "增强罗湖公共文化服务工作影响力"
        rows = (row(name, "有效提升", "100%", "4.0", level1="效益指标", level2="社会效益指标"),)
        [finding] = findings(make_form(indicators=rows), shenzhen, self.code)
        assert finding.message == f"定性指标“{name}”以“100%”填报并得满分，缺少完成情况佐证说明"

    def test_a_blank_note_on_the_2022_layout_is_no_support(self, national):
        # luohu 2022 · 秘书处业务
        rows = (row("辖区人民群众及企业满意度", "有所提升", "100%", "10.00", **block("满意度(10分)", "服务对象满意度")),)
        assert outcomes(make_form(indicators=rows, year=2022), national, self.code) == [("fail", 0)]

    def test_a_note_or_a_mention_in_the_narrative_is_support(self, shenzhen):
        explained = row("活动参与度", "有效提升", "100%", "4.0", deviation="参与人数由报名系统统计，较上年增加三成。")
        mentioned = row("居民身体素质", "有效提升", "100%", "4.0")
        form = make_form(indicators=(explained, mentioned), goals_actual="通过体质监测，居民身体素质有所提高。")
        assert outcomes(form, shenzhen, self.code) == [("pass", 0), ("pass", 1)]

    def test_a_qualitative_row_graded_below_100_percent_passes(self, shenzhen):
        rows = (row("文化产业营商环境", "有所提升", "80%", "20.0", "16.0"),)
        assert outcomes(make_form(indicators=rows), shenzhen, self.code) == [("pass", 0)]

    def test_a_form_without_qualitative_rows_is_not_applicable(self, shenzhen):
        assert outcomes(make_form(), shenzhen, self.code) == [("n/a", None)]
