"""Score and grade checks (checks.md §3) on rows rebuilt from the worked examples of scoring.md §8."""

from __future__ import annotations

from dataclasses import replace

from builders import make_form, row, standard_rows, with_row

from jixiao.checks.review import review


def outcomes(form, profile, code):
    return [(result.outcome.value, result.indicator) for result in review(form, profile, pick=[code]).results]


def only_finding(form, profile, code):
    found = review(form, profile, pick=[code]).findings
    assert len(found) == 1, found
    return found[0]


def form_with(new_row, index=0):
    """The standard 2021 form with one row replaced."""
    return with_row(make_form(), index, new_row)


# Rows of luohu 2021, as printed.
def heritage_sites(score="2.0"):  # 文物保护与管理工作
    return row("文博单位保养维护数量", "19家", "15家", "3.0", score)


def football_stage_two():  # 群众体育工作
    return row("2020-2021年校园足球·第八届全明星第二阶段举办次数", "250场以上", "208场", "5.0", "4.0")


def football_first_event():  # 群众体育工作
    return row("2021-2022年校园足球联赛·全明星计划第一赛事举办次数", "350场以上", "291场", "5.0", "4.0")


def village_days():  # 扶贫工作
    return row("驻村工作时间", "365天/年", "213天", "5.0", "2.9")


def tourism_complaints():  # 旅游市场
    return row("指标2:旅游投诉处理", "调解旅游投诉约1000宗。", "313宗", "4.0", "2.0")


def business_climate(score="16.0"):  # 文化产业规划及服务
    return row("文化产业营商环境", "有所提升", "80%", "20.0", score, level1="效益指标", level2="社会效益指标")


def tourism_growth(score="6.0"):  # 旅游市场
    return row("指标3:企业做强做大", "改善辖区旅游业,促进行业发展。", "75%", "8.0", score, level1="效益指标", level2="社会效益指标")


class TestOverWeight:
    code = "score.over-weight"

    def test_a_score_above_its_weight_fires(self, shenzhen):
        form = form_with(row("活动场次", "≥10场", "12场", "15.0", "16.0"))
        finding = only_finding(form, shenzhen, self.code)
        assert (finding.indicator, finding.expected, finding.found) == (0, 15.0, 16.0)
        assert finding.message == "“活动场次”得分16超出分值15或为负数"

    def test_a_negative_score_fires(self, shenzhen):
        form = form_with(row("活动场次", "≥10场", "12场", "15.0", "-1.0"))
        assert only_finding(form, shenzhen, self.code).outcome.value == "fail"

    def test_a_funds_score_above_the_funds_weight_fires(self, shenzhen):
        finding = only_finding(make_form(score="11.00"), shenzhen, self.code)
        assert (finding.indicator, finding.message) == (None, "“预算执行率”得分11超出分值10或为负数")

    def test_scores_within_their_weights_pass(self, shenzhen):
        assert outcomes(make_form(), shenzhen, self.code) == [("pass", None)] + [("pass", i) for i in range(8)]

    def test_a_missing_score_is_undetermined(self, shenzhen):
        form = form_with(row("活动场次", "≥10场", "12场", "15.0", "—"))
        finding = only_finding(form, shenzhen, self.code)
        assert (finding.outcome.value, finding.indicator) == ("undetermined", 0)


class TestTotalMismatch:
    code = "score.total-mismatch"

    def test_a_total_printed_as_the_funds_score_fires(self, shenzhen):
        # luohu 2021 · 宣传文化事业发展专项经费: 10.00 + 90.0, printed 10.
        finding = only_finding(make_form(total_score="10"), shenzhen, self.code)
        assert (finding.outcome.value, finding.expected, finding.found) == ("fail", 100.0, 10.0)
        assert finding.message == "总分填报10，预算执行率得分与各指标得分合计为100"

    def test_a_total_short_of_94_fires(self, shenzhen):
        # luohu 2021 · 文化体育市场: 10.00 + 84.0, printed 10.
        form = with_row(make_form(total_score="10"), 0, row("活动场次", "≥10场", "12场", "15.0", "9.0"))
        assert only_finding(form, shenzhen, self.code).expected == 94.0

    def test_a_total_matching_funds_and_rows_passes(self, shenzhen):
        # luohu 2021 · 干部健康管理: 5.60 + 78.0 = 83.6.
        rows = list(standard_rows())
        rows[0] = row("活动场次", "≥10场", "5场", "15.0", "5.0")
        rows[1] = row("活动合格率", "100%", "87%", "15.0", "13.0", level2="质量指标")
        form = make_form(executed="55964.00", rate="0.56", score="5.60", indicators=tuple(rows), total_score="83.6")
        assert outcomes(form, shenzhen, self.code) == [("pass", None)]

    def test_a_missing_row_score_is_never_summed_as_zero(self, shenzhen):
        form = with_row(make_form(total_score="85.00"), 0, row("活动场次", "≥10场", "12场", "15.0", "—"))
        finding = only_finding(form, shenzhen, self.code)
        assert finding.outcome.value == "undetermined"
        assert "活动场次" in finding.message

    def test_a_form_without_a_total_is_undetermined(self, shenzhen):
        finding = only_finding(make_form(total_score=""), shenzhen, self.code)
        assert finding.outcome.value == "undetermined"


class TestNaWeighted:
    code = "score.na-weighted"

    def test_a_not_applicable_row_carrying_points_fires(self, shenzhen):
        na_row = row("不适用", "不适用", "不适用", "5.0", "5.0", level1="效益指标", level2="经济效益指标")
        finding = only_finding(form_with(na_row, 4), shenzhen, self.code)
        assert (finding.indicator, finding.expected, finding.found) == (4, 0.0, 5.0)
        assert finding.message == "“不适用”为不适用指标（不适用），分值和得分应为0，填报为5/5"

    def test_not_applicable_rows_at_zero_pass(self, shenzhen):
        assert outcomes(make_form(), shenzhen, self.code) == [("pass", 4), ("pass", 6)]

    def test_the_2022_placeholder_row_at_zero_passes(self, national):
        na_row = row("无", "无", "无", "0", "0.00", level1="效益(30分)", level2="经济效益")
        assert outcomes(form_with(na_row, 4), national, self.code) == [("pass", 4), ("pass", 6)]

    def test_a_not_applicable_row_without_a_weight_is_undetermined(self, shenzhen):
        na_row = row("不适用", "不适用", "不适用", "", "0.0", level1="效益指标", level2="经济效益指标")
        finding = only_finding(form_with(na_row, 4), shenzhen, self.code)
        assert (finding.outcome.value, finding.indicator) == ("undetermined", 4)

    def test_a_form_without_placeholder_rows_has_nothing_to_check(self, shenzhen):
        rows = tuple(r for r in standard_rows() if r.applicable)
        assert outcomes(make_form(indicators=rows), shenzhen, self.code) == [("n/a", None)]


class TestUnmetFull:
    code = "score.unmet-full"

    def test_a_shortfall_at_full_marks_fires(self, shenzhen):
        finding = only_finding(form_with(heritage_sites(score="3.0")), shenzhen, self.code)
        assert (finding.outcome.value, finding.indicator, finding.found) == ("fail", 0, 3.0)
        assert finding.message == "“文博单位保养维护数量”未达到指标值（19家→15家）却得满分3"

    def test_a_shortfall_scored_below_the_weight_passes(self, shenzhen):
        results = review(form_with(heritage_sites()), shenzhen, pick=[self.code]).results
        assert results[0].outcome.value == "pass"

    def test_a_qualitative_row_in_the_lower_band_at_full_marks_fires(self, shenzhen):
        assert only_finding(form_with(tourism_growth(score="8.0"), 5), shenzhen, self.code).indicator == 5

    def test_met_rows_at_full_marks_pass(self, shenzhen):
        assert review(make_form(), shenzhen, pick=[self.code]).findings == []

    def test_a_row_that_cannot_be_compared_at_full_marks_is_undetermined(self, shenzhen):
        # luohu 2021 · 干部健康管理: 每人每年一次 needs a headcount that is not on the form.
        checkup = row("退休干部健康管理次数", "每人每年一次", "5次", "15.0", "15.0")
        finding = only_finding(form_with(checkup), shenzhen, self.code)
        assert (finding.outcome.value, finding.indicator) == ("undetermined", 0)


class TestFormula:
    code = "score.formula"

    def test_an_equal_target_scored_below_its_ratio_fires(self, shenzhen):
        # 19家 → 15家, w 3: 15/19 × 3 = 2.37, printed 2.0.
        finding = only_finding(form_with(heritage_sites()), shenzhen, self.code)
        assert (finding.outcome.value, finding.indicator, finding.expected, finding.found) == ("fail", 0, 2.37, 2.0)
        assert finding.message.startswith("“文博单位保养维护数量”按")
        assert finding.message.endswith("计算应得2.37分，填报2分")

    def test_both_football_shortfalls_fire_at_4_16(self, shenzhen):
        form = with_row(form_with(football_stage_two(), 0), 1, football_first_event())
        findings = review(form, shenzhen, pick=[self.code]).findings
        assert [(f.indicator, f.expected, f.found) for f in findings] == [(0, 4.16, 4.0), (1, 4.16, 4.0)]

    def test_a_score_rounded_to_one_decimal_passes(self, shenzhen):
        # 365天/年 → 213天, w 5: 2.92 against the printed 2.9.
        results = review(form_with(village_days()), shenzhen, pick=[self.code]).results
        assert (results[0].outcome.value, results[0].indicator) == ("pass", 0)

    def test_an_approximate_target_is_undetermined_with_the_hint(self, shenzhen):
        # 约1000宗 → 313宗, w 4: manual; the positive default gives 1.25 against the printed 2.0.
        finding = only_finding(form_with(tourism_complaints()), shenzhen, self.code)
        assert (finding.outcome.value, finding.indicator, finding.expected) == ("undetermined", 0, 1.25)

    def test_a_row_reported_by_unmet_full_is_not_reported_again(self, shenzhen):
        (first, *_) = review(form_with(heritage_sites(score="3.0")), shenzhen, pick=[self.code]).results
        assert (first.outcome.value, first.indicator) == ("n/a", 0)

    def test_a_qualitative_row_is_left_to_the_band_check(self, shenzhen):
        results = review(form_with(business_climate(), 5), shenzhen, pick=[self.code]).results
        assert [(r.outcome.value, r.indicator) for r in results if r.indicator == 5] == [("n/a", 5)]


class TestQualBand:
    code = "score.qual-band"

    def test_a_score_exactly_on_the_upper_edge_passes(self, shenzhen):
        # 有所提升 → 80%, w 20: 16.0 in [16.00, 20] (the edge belongs to 达成).
        assert outcomes(form_with(business_climate(), 5), shenzhen, self.code) == [("pass", 5)]

    def test_a_score_inside_the_partial_band_passes(self, shenzhen):
        # → 75%, w 8: 6.0 in [4.80, 6.40).
        assert outcomes(form_with(tourism_growth(), 5), shenzhen, self.code) == [("pass", 5)]

    def test_a_score_below_the_band_fires(self, shenzhen):
        finding = only_finding(form_with(business_climate(score="15.0"), 5), shenzhen, self.code)
        assert (finding.outcome.value, finding.indicator, finding.found) == ("fail", 5, 15.0)
        assert finding.message == "定性指标“文化产业营商环境”完成情况属“达成年度指标”，得分应在16–20之间，填报15"

    def test_the_upper_edge_of_a_lower_band_is_outside_it(self, shenzhen):
        finding = only_finding(form_with(tourism_growth(score="6.4"), 5), shenzhen, self.code)
        assert finding.expected == "[4.80, 6.40)"

    def test_the_band_edges_come_from_the_profile(self, shenzhen, hubei):
        # 4.5 of 8 is below the national 0.6 edge (4.80) but above Hubei's 0.5 edge (4.00).
        form = form_with(tourism_growth(score="4.5"), 5)
        assert only_finding(form, shenzhen, self.code).outcome.value == "fail"
        assert outcomes(form, hubei, self.code) == [("pass", 5)]

    def test_an_actual_without_band_word_or_percentage_is_undetermined(self, shenzhen):
        vague = row("文化产业营商环境", "有所提升", "见附件", "20.0", "16.0", level1="效益指标", level2="社会效益指标")
        finding = only_finding(form_with(vague, 5), shenzhen, self.code)
        assert (finding.outcome.value, finding.indicator) == ("undetermined", 5)

    def test_a_form_without_qualitative_rows_has_nothing_to_check(self, shenzhen):
        assert outcomes(make_form(), shenzhen, self.code) == [("n/a", None)]


class TestGradeMismatch:
    code = "grade.mismatch"

    def test_a_printed_grade_the_total_does_not_earn_fires(self, national):
        finding = only_finding(replace(make_form(), grade_claimed="良"), national, self.code)
        assert (finding.outcome.value, finding.expected, finding.found) == ("fail", "优", "良")
        assert finding.message == "总分100对应等级应为“优”，填报为“良”"

    def test_a_printed_grade_matching_the_total_passes(self, national):
        assert outcomes(replace(make_form(), grade_claimed="优"), national, self.code) == [("pass", None)]

    def test_a_form_without_a_printed_grade_has_nothing_to_check(self, national):
        assert outcomes(make_form(), national, self.code) == [("n/a", None)]

    def test_a_profile_without_grades_has_nothing_to_check(self, hubei):
        assert outcomes(replace(make_form(), grade_claimed="优"), hubei, self.code) == [("n/a", None)]

    def test_a_total_that_cannot_be_settled_is_undetermined(self, national):
        # No full-year budget and no printed funds score: neither an expected nor a printed funds score.
        form = replace(make_form(adjusted="—", score="—"), grade_claimed="优")
        assert only_finding(form, national, self.code).outcome.value == "undetermined"
