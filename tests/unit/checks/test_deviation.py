"""Deviation-note checks (checks.md §8) on rows rebuilt by hand from the samples."""

from __future__ import annotations

from builders import make_form, row
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.checks.clauses import ClauseIndex, clause_index, clauses_of, similar
from jixiao.checks.review import review


def outcomes(form, profile, code, batch=()):
    return [(r.outcome.value, r.indicator) for r in review(form, profile, batch=batch, pick=[code]).results]


def findings(form, profile, code, batch=()):
    return review(form, profile, batch=batch, pick=[code]).findings


class TestMissing:
    code = "deviation.missing"

    def test_a_shortfall_noted_as_no_deviation_fires(self, shenzhen):
        # luohu 2021 · 扶贫工作: 驻村工作时间 scored 2.9 of 5
        form = make_form(indicators=(row("驻村工作时间", "365天/年", "213天", "5.0", "2.9", deviation="无偏差"),))
        [finding] = findings(form, shenzhen, self.code)
        assert finding.message == "“驻村工作时间”得分2.9低于分值5，未填写偏差原因分析及改进措施"
        assert (finding.expected, finding.found) == (5.0, 2.9)

    def test_a_shortfall_with_a_blank_note_fires(self, national):
        form = make_form(indicators=(row("人员经费发放完成率", "98%", "85%", "7.50", "6.50", deviation=None),), year=2022)
        assert outcomes(form, national, self.code) == [("fail", 0)]

    def test_an_explained_shortfall_and_full_marks_stay_silent(self, shenzhen):
        rows = (
            row("驻村工作时间", "365天/年", "213天", "5.0", "2.9", deviation="偏差原因:驻村工作队工作于2021年8月15日结束。"),
            row("春节慰问", "1次", "1次", "5.0"),
        )
        assert outcomes(make_form(indicators=rows), shenzhen, self.code) == [("pass", 0), ("pass", 1)]

    def test_a_missing_score_is_undetermined(self, shenzhen):
        form = make_form(indicators=(row("春节慰问", "1次", "1次", "5.0", ""),))
        assert outcomes(form, shenzhen, self.code) == [("undetermined", 0)]


class TestOverUnexplained:
    code = "deviation.over-unexplained"

    def test_far_above_the_target_with_no_deviation_fires(self, shenzhen):
        # luohu 2021 · 群众文化工作: ≥1500件 → 3567件, "无偏差"
        form = make_form(indicators=(row("展品数量", "≥1500件", "3567件", "2.0"),))
        [finding] = findings(form, shenzhen, self.code)
        assert finding.message == "“展品数量”超额完成（2.38倍），未说明原因"

    def test_one_promotion_planned_and_two_held_fires(self, shenzhen):
        # luohu 2021 · 旅游市场: 1场推广活动 → 2场
        form = make_form(indicators=(row("指标4:行业推广宣传活动", "1场推广活动", "2场", "4.0"),))
        assert outcomes(form, shenzhen, self.code) == [("fail", 0)]

    def test_an_explained_over_completion_passes(self, shenzhen):
        # luohu 2021 · 文化产业规划及服务: ≥300平米 → 546平米 with a cause
        note = "偏差原因：实际场馆设计面积与预期存在一定差异。 改进措施：充分考虑设计偏差因素，合理设置年度指标值。"
        form = make_form(indicators=(row("主场馆面积", "≥300平米", "546平米", "5.0", deviation=note),))
        assert outcomes(form, shenzhen, self.code) == [("pass", 0)]

    def test_an_uncomputable_ratio_is_undetermined(self, shenzhen):
        form = make_form(indicators=(row("退休干部健康管理次数", "每人每年一次", "5次", "10.0", "5.0"),))
        assert outcomes(form, shenzhen, self.code) == [("undetermined", 0)]


class TestIncomplete:
    code = "deviation.incomplete"

    def test_a_cause_without_an_action_fires(self, national):
        # luohu 2022 · 行政运行: 人员经费发放完成率
        note = "我单位本有8名辅助性人员, 在2月开始档案管理科一名辅助性人员离职, 一直到2023年才招录成功, 故去年发放率约为85%。"
        form = make_form(indicators=(row("人员经费发放完成率", "98%", "85%", "7.50", "6.50", deviation=note),), year=2022)
        [finding] = findings(form, national, self.code)
        assert finding.message == "偏差说明缺少改进措施（应同时说明偏差原因和改进措施）"
        assert finding.severity.value == "info"

    def test_an_action_without_a_cause_fires(self, shenzhen):
        note = "改进措施：充分考虑疫情影响，合理编制年度指标值。"
        form = make_form(indicators=(row("活动场次", "≥10场", "8场", "10.0", "8.0", deviation=note),))
        [finding] = findings(form, shenzhen, self.code)
        assert finding.message == "偏差说明缺少偏差原因（应同时说明偏差原因和改进措施）"

    def test_a_note_with_cause_and_action_passes(self, national):
        # luohu 2022 · 办文办会事务
        note = "受疫情影响，上级未测评。改进措施：2023年会积极推进测评工作。"
        form = make_form(indicators=(row("尾款费用", "≤133,500元", "0", "5.00", "0.00", deviation=note),), year=2022)
        assert outcomes(form, national, self.code) == [("pass", 0)]

    def test_rows_noted_as_no_deviation_are_not_applicable(self, shenzhen):
        assert outcomes(make_form(), shenzhen, self.code) == [("n/a", None)]


# luohu 2021 · 干部健康管理 and 旅游市场: two forms whose actions differ in two characters.
HEALTH_NOTE = "偏差原因：受疫情影响，多数人无法安排前往消费。 改进措施：充分考虑疫情影响，合理编制年度指标值。"
TOURISM_NOTE = (
    "偏差原因:受疫情影响,旅游投诉量与旅游业务量是成正比的,2021年有半年时间未能开展旅游业务,故旅游投诉量减少。 "
    "改进措施:充分考虑疫情因素,合理编制年度指标值。"
)


def noted_form(name, *notes):
    rows = tuple(row(f"指标{i + 1}", "≥10场", "8场", "10.0", "8.0", deviation=note) for i, note in enumerate(notes))
    return make_form(indicators=rows, name=name)


class TestBoilerplate:
    code = "deviation.boilerplate"

    def test_two_rows_of_one_form_with_the_same_note_fire(self, shenzhen):
        # luohu 2021 · 文化产业规划及服务
        note = "偏差原因：根据实际工作情况进行调整。 改进措施：充分考虑偏差因素，合理设置指标值。"
        form = noted_form("文化产业规划及服务", note, note)
        assert outcomes(form, shenzhen, self.code) == [("fail", 0), ("fail", 1)]
        finding = findings(form, shenzhen, self.code)[0]
        assert finding.message == "偏差说明与其他指标或项目雷同：“根据实际工作情况进行调整”"
        assert finding.note == "雷同于本表“指标2”"

    def test_a_clause_copied_from_another_form_of_the_batch_fires(self, shenzhen):
        health, tourism = noted_form("干部健康管理", HEALTH_NOTE), noted_form("旅游市场", TOURISM_NOTE)
        [finding] = findings(health, shenzhen, self.code, batch=[health, tourism])
        assert finding.found == "合理编制年度指标值"
        assert finding.note == "雷同于《旅游市场》“指标1”"

    def test_a_similar_clause_fires_and_a_merely_related_one_does_not(self):
        [long_one] = clauses_of("充分考虑疫情对活动开展的影响并合理编制年度指标值")
        [near_copy] = clauses_of("充分考虑疫情对活动开展的影响并合理编制年度指标")
        [effect] = clauses_of("充分考虑疫情影响")
        [factor] = clauses_of("充分考虑疫情因素")
        assert similar(long_one, near_copy)  # 21 of 22 bigrams shared
        assert not similar(effect, factor)  # 5 of 9

    def test_a_near_copy_in_another_form_is_found_through_the_batch_index(self, shenzhen):
        first = noted_form("甲项目", "偏差原因：充分考虑疫情对活动开展的影响并合理编制年度指标值。")
        second = noted_form("乙项目", "偏差原因：充分考虑疫情对活动开展的影响并合理编制年度指标。")
        unrelated = noted_form("丙项目", "偏差原因：出境旅游业务至今未能开展，行业受创严重。")
        [finding] = findings(first, shenzhen, self.code, batch=[first, unrelated, second])
        assert finding.note == "雷同于《乙项目》“指标1”"

    def test_unique_notes_stay_silent(self, shenzhen):
        health = noted_form("干部健康管理", "偏差原因：受疫情影响，多数人无法安排前往消费。")
        other = noted_form("旅游市场", "偏差原因：出境旅游业务至今未能开展，行业受创严重。")
        assert outcomes(health, shenzhen, self.code, batch=[health, other]) == [("pass", 0)]

    def test_notes_that_only_say_no_deviation_are_not_applicable(self, shenzhen):
        assert outcomes(make_form(), shenzhen, self.code) == [("n/a", None)]

    @settings(max_examples=40, deadline=None)
    @given(st.lists(st.text(alphabet="疫情影响合理编制年度指标值充分考虑", min_size=6, max_size=14), min_size=1, max_size=30))
    def test_the_batch_index_finds_exactly_the_clauses_a_full_comparison_finds(self, notes):
        batch = [noted_form(f"项目{i}", note) for i, note in enumerate(notes)]
        index = ClauseIndex(batch)
        first = [clauses_of(note)[0] if clauses_of(note) else None for note in notes]
        for clause in filter(None, first):
            found = {position for position, _ in index.occurrences_like(clause)}
            expected = {i for i, other in enumerate(first) if other is not None and similar(clause, other)}
            assert found == expected

    def test_a_batch_is_indexed_once(self):
        batch = [noted_form("干部健康管理", HEALTH_NOTE), noted_form("旅游市场", TOURISM_NOTE)]
        assert clause_index(batch) is clause_index(batch)


class TestClaimsNone:
    code = "deviation.claims-none"

    def test_an_equal_target_missed_by_a_third_fires(self, shenzhen):
        # luohu 2021 · 疫情防控工作经费: 3人 → 4人, "无偏差"
        form = make_form(indicators=(row("保障防疫工作人员人数", "3人", "4人", "12.5"),))
        [finding] = findings(form, shenzhen, self.code)
        assert finding.message == "“保障防疫工作人员人数”完成值4人与指标值3人不一致，却填写“无偏差”"

    def test_an_equal_rate_exceeded_by_a_third_fires(self, shenzhen):
        # luohu 2021 · 文化体育市场执法: 30% → 40%
        form = make_form(indicators=(row("经营场所检查覆盖率", "30%", "40%", "5.0"),))
        assert outcomes(form, shenzhen, self.code) == [("fail", 0)]

    def test_an_unmet_target_noted_as_no_deviation_fires(self, shenzhen):
        form = make_form(indicators=(row("活动场次", "≥10场", "8场", "10.0", "8.0", deviation="无"),))
        assert outcomes(form, shenzhen, self.code) == [("fail", 0)]

    def test_far_above_the_target_is_left_to_over_unexplained(self, shenzhen):
        form = make_form(indicators=(row("展品数量", "≥1500件", "3567件", "2.0"),))
        assert outcomes(form, shenzhen, self.code) == [("n/a", 0)]

    def test_met_targets_and_equal_targets_within_ten_percent_pass(self, shenzhen):
        rows = (row("保障工作人员人数", "46人", "46人", "15.0"), row("宣传册", "100份", "105份", "5.0"))
        assert outcomes(make_form(indicators=rows), shenzhen, self.code) == [("pass", 0), ("pass", 1)]

    def test_a_bare_target_under_a_name_ending_in_at_least_is_a_minimum(self, shenzhen):
        # luohu 2021 · 行政运行: 审查合同份数不少于 200 → 223份
        form = make_form(indicators=(row("审查合同份数不少于", "200", "223份", "2.6"),))
        assert outcomes(form, shenzhen, self.code) == [("pass", 0)]

    def test_an_incomparable_row_is_undetermined(self, shenzhen):
        form = make_form(indicators=(row("退休干部健康管理次数", "每人每年一次", "5次", "10.0", "5.0"),))
        assert outcomes(form, shenzhen, self.code) == [("undetermined", 0)]
