"""Actual-value checks (checks.md §6) on rows rebuilt by hand from the samples."""

from __future__ import annotations

from dataclasses import replace

from builders import make_form, row

from jixiao.checks.actuals import Missing
from jixiao.checks.base import Context
from jixiao.checks.review import review
from jixiao.domain.model import SummaryExtras
from jixiao.domain.scoring import evaluate


def outcomes(form, profile, code):
    return [(result.outcome.value, result.indicator) for result in review(form, profile, pick=[code]).results]


def results(form, profile, code):
    return review(form, profile, pick=[code]).results


def findings(form, profile, code):
    return review(form, profile, pick=[code]).findings


def summary_form(*rows):
    form = make_form(indicators=rows, weight="", score="", total_weight="", total_score="")
    return replace(form, summary=SummaryExtras(seq="1", issues="无"))


def summary_row(target, actual, level2="数量指标"):
    return row(None, target, actual, "", "", level2=level2, deviation=None)


class TestMissing:
    code = "actual.missing"

    def test_an_outcome_that_restates_the_target_fires(self, shenzhen):
        # summary · 办公设备购置: 设备购置数量≥7 → 设备购置数量≥7
        form = summary_form(summary_row("设备购置数量≥7", "设备购置数量≥7"))
        [finding] = findings(form, shenzhen, self.code)
        assert finding.message == "指标“数量指标”未填写有效实际完成值（“设备购置数量≥7”）"
        assert finding.note == "照抄指标值"

    def test_an_outcome_that_restates_the_end_of_the_target_fires(self, shenzhen):
        # summary · 办公设备购置: 各项采购设备质量合格率≥95% → 质量合格率≥95%
        form = summary_form(summary_row("各项采购设备质量合格率≥95%", "质量合格率≥95%", "质量指标"))
        assert outcomes(form, shenzhen, self.code) == [("fail", 0)]

    def test_an_empty_actual_on_a_weighted_row_fires(self, shenzhen):
        form = make_form(indicators=(row("活动场次", "≥10场", "", "10.0", "0.0"),))
        [finding] = findings(form, shenzhen, self.code)
        assert finding.message == "指标“活动场次”未填写有效实际完成值（“”）"

    def test_an_actual_equal_to_a_bare_target_is_a_real_value(self, shenzhen):
        # luohu 2021 · 预留年度事业发展支出: 44人 → 44人
        form = make_form(indicators=(row("保障工作人员人数", "44人", "44人", "10.0"),))
        assert outcomes(form, shenzhen, self.code) == [("pass", 0)]

    def test_none_as_the_actual_of_a_zero_target_is_a_value(self, shenzhen):
        rows = (row("群众投诉", "无投诉", "无", "20.0", level1="满意度指标", level2=None),)
        assert outcomes(make_form(indicators=rows), shenzhen, self.code) == [("pass", 0)]

    def test_rows_that_cannot_be_aligned_with_their_evaluation_are_undetermined(self, shenzhen):
        form = make_form()
        evaluation = evaluate(form, shenzhen)
        shorter = replace(evaluation, indicators=evaluation.indicators[1:])
        [result] = list(Missing().evaluate(Context(form, shorter, shenzhen)))
        assert (result.outcome.value, result.message) == ("undetermined", "无法判定：指标行与评分结果无法对齐")

    def test_not_applicable_rows_need_no_actual(self, shenzhen):
        rows = (row("不适用", "不适用", "不适用", "0.0", level1="效益指标", level2="经济效益指标"),)
        assert outcomes(make_form(indicators=rows), shenzhen, self.code) == [("n/a", None)]


class TestUnitMismatch:
    code = "actual.unit-mismatch"

    def test_a_per_capita_target_with_a_total_actual_fires(self, shenzhen):
        # luohu 2021 · 干部健康管理: 每人每年一次 → 5次
        form = make_form(indicators=(row("退休干部健康管理次数", "每人每年一次", "5次", "10.0", "5.0"),))
        [finding] = findings(form, shenzhen, self.code)
        assert finding.message == "实际完成值“5次”与指标值“每人每年一次”口径不一致：指标值按人均设定，实际完成值为总量"

    def test_a_count_target_with_a_percentage_actual_fires(self, shenzhen):
        # luohu 2021 · 文化体育市场: 不少于12款海报… → 60%
        form = make_form(indicators=(row("海报", "不少于12款海报,每款印制不少", "60%", "10.0", "6.0"),))
        [finding] = findings(form, shenzhen, self.code)
        assert finding.message.endswith("口径不一致：数量指标值以百分比填报")

    def test_a_percentage_against_a_time_limit_names_both_units(self, shenzhen):
        # luohu 2021 · 文化体育市场执法: 受理时限≤7个工作日 → 100%
        form = make_form(indicators=(row("举报投诉", "受理时限≤7个工作日", "100%", "3.0", level2="时效指标"),))
        [finding] = findings(form, shenzhen, self.code)
        assert finding.message.endswith("口径不一致：单位口径不同（个工作日与%）")

    def test_one_actual_for_two_target_values_fires(self, shenzhen):
        # luohu 2021 · 旅游市场: 2次培训,共500人次 → 752人次 (no count of 培训)
        form = make_form(indicators=(row("指标1:培训", "2次培训,共500人次", "752人次", "4.0"),))
        [finding] = findings(form, shenzhen, self.code)
        assert finding.message.endswith("口径不一致：指标值含2个指标值，实际完成值只对应其中1个")

    def test_a_status_word_for_counted_targets_fires(self, shenzhen):
        # summary · 其他一般管理事务
        target = "全年在网络平台刊发全年文化产业宣传报道62条,报纸刊发15条报道,得播10条视频宣传报道"
        [finding] = findings(summary_form(summary_row(target, "已完成")), shenzhen, self.code)
        assert "已完成" in finding.message and finding.outcome.value == "fail"

    def test_places_against_place_visits_is_a_note_not_a_failure(self, shenzhen):
        # luohu 2021 · 旅游市场: 共检查旅游企业450家次 → 456家
        form = make_form(indicators=(row("指标3:旅游安全生产", "共检查旅游企业450家次", "456家", "5.0"),))
        [result] = results(form, shenzhen, self.code)
        assert result.outcome.value == "pass"
        assert "家次" in result.note

    def test_a_full_percentage_against_a_qualitative_or_deadline_target_is_a_status(self, shenzhen):
        rows = (
            row("群众获得感", "有效提升", "100%", "20.0", level1="效益指标", level2="社会效益指标"),
            row("音乐作品完成时间", "2021年12月31日前", "100%", "10.0", level2="时效指标"),
        )
        assert outcomes(make_form(indicators=rows), shenzhen, self.code) == [("pass", 0), ("pass", 1)]

    def test_matching_units_stay_silent(self, shenzhen):
        assert findings(make_form(), shenzhen, self.code) == []

    def test_none_answers_a_zero_target(self, shenzhen):
        rows = (row("群众投诉", "无投诉", "无", "20.0", level1="满意度指标", level2=None),)
        assert outcomes(make_form(indicators=rows), shenzhen, self.code) == [("pass", 0)]

    def test_an_unparseable_target_is_undetermined(self, shenzhen):
        form = make_form(indicators=(row("巡查", "每周巡查星级宾馆酒店、网吧、", "200家次/周", "10.0"),))
        assert outcomes(form, shenzhen, self.code) == [("undetermined", 0)]
