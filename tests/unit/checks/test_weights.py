"""Weight checks (checks.md §2) on indicator blocks rebuilt from the sample forms."""

from __future__ import annotations

from builders import make_form, row, with_row

from jixiao.checks.review import review


def outcomes(form, profile, code, **options):
    results = review(form, profile, pick=[code], **options).results
    return [(result.outcome.value, result.indicator) for result in results]


def only_finding(form, profile, code, **options):
    found = review(form, profile, pick=[code], **options).findings
    assert len(found) == 1, found
    return found[0]


def admin_2021_rows():
    """luohu 2021 · 行政运行: 18 output rows of 2.6 and one of 3.2, then 5 × 4.0 benefit and 5 × 4.0 satisfaction."""
    output = [row(f"产出{i}", "100%", "100%", "2.6") for i in range(18)] + [row("年度支付总金额", "100%", "100%", "3.2")]
    benefit = [row(f"效益{i}", "有效保障", "100%", "4.0", level1="效益指标", level2="社会效益指标") for i in range(5)]
    satisfaction = [row(f"满意度{i}", "≥90%", "95%", "4.0", level1="满意度指标", level2=None) for i in range(5)]
    return tuple(output + benefit + satisfaction)


def office_2022_rows(quantity_weight="3.00", first_label="产出(50分)"):
    """luohu 2022 · 办文办会事务: 产出 5×3 + 3×5 + 5×2 + 2×5 = 50; 效益 15 + 15 = 30; 满意度 4 + 3 + 3 = 10."""
    output = "产出(50分)"
    return (
        row("政府公报", "≥5期", "5期", quantity_weight, level1=first_label, level2="数量"),
        row("制发文件数", "≥2000件", "2510件", "3.00", level1=output, level2="数量"),
        row("课题报告", "≥2份", "2份", "3.00", level1=output, level2="数量"),
        row("完成法制审查意见", "28条", "30条", "3.00", level1=output, level2="数量"),
        row("办好区委区政府各类会议", "550个", "610个", "3.00", level1=output, level2="数量"),
        row("文件准确率", "≥98%", "100%", "5.00", level1=output, level2="质量"),
        row("课题评审合格率", "≥95%", "100%", "5.00", level1=output, level2="质量"),
        row("后勤保障工作完成率", "98%", "98%", "5.00", level1=output, level2="质量"),
        row("文稿签批后制发与印发时间", "≤2个工作日", "2个工作日", "2.00", level1=output, level2="时效"),
        row("完成法律顾问服务项目采购工作", "7月底前", "6月", "2.00", level1=output, level2="时效"),
        row("做好会务筹备工作", "第二季度", "第二季度", "2.00", level1=output, level2="时效"),
        row("做好会务筹备工作", "第三季度", "第三季度", "2.00", level1=output, level2="时效"),
        row("做好会务筹备工作", "第四季度", "第四季度", "2.00", level1=output, level2="时效"),
        row("公报费用+调研工作费用", "≤400,000元", "350000元", "5.00", level1=output, level2="成本"),
        row("终端延伸部署建设项目尾款费用", "≤133,500元", "0", "5.00", "0.00", level1=output, level2="成本"),
        row("无", "无", "无", "0", "0.00", level1="效益(30分)", level2="经济效益"),
        row("扩大政府公报的知晓度和影响", "及时传达", "100%", "15.00", level1="效益 (30分)", level2="社会效益"),
        row("完成政务内网延伸部署", "加快部署", "100%", "15.00", level1="效益 (30分)", level2="社会效益"),
        row("无", "无", "无", "0", "0.00", level1="效益 (30分)", level2="生态效益"),
        row("办文工作满意度", "≥98%", "98%", "4.00", level1="满意度 (10分)", level2="服务对象满意度"),
        row("参会人员满意度", "95%", "95%", "3.00", level1="满意度 (10分)", level2="服务对象满意度"),
        row("全体职工满意度", "95%", "95%", "3.00", level1="满意度 (10分)", level2="服务对象满意度"),
        row("无", "无", "无", "0", "0.00", level1="满意度 (10分)", level2="其他满意度"),
    )


def office_2022(**options):
    return make_form(
        initial="1099000.00",
        adjusted="1662200.00",
        executed="1429601.95",
        rate="86",
        rate_scale=100,
        score="8.60",
        indicators=office_2022_rows(**options),
        total_weight="100.00",
        year=2022,
        layout="luohu-2022",
    )


def blocks_form(output, benefit, satisfaction, funds="10"):
    """A 2021 form whose three blocks weigh `output`, `benefit` and `satisfaction`."""
    return make_form(
        weight=funds,
        indicators=(
            row("活动场次", "≥10场", "12场", output),
            row("群众获得感", "≥90%", "95%", benefit, level1="效益指标", level2="社会效益指标"),
            row("群众满意度", "≥90%", "95%", satisfaction, level1="效益指标", level2="满意度指标"),
        ),
    )


class TestTotal:
    code = "weights.total"

    def test_a_standard_form_adds_up_to_100(self, shenzhen):
        assert outcomes(make_form(), shenzhen, self.code) == [("pass", None)]

    def test_fractional_weights_add_up_exactly(self, shenzhen):
        # 10 + 18 × 2.6 + 3.2 + 5 × 4.0 + 5 × 4.0 = 100.
        assert outcomes(make_form(indicators=admin_2021_rows()), shenzhen, self.code) == [("pass", None)]

    def test_rows_adding_up_to_105_fire(self, shenzhen):
        form = with_row(make_form(), 7, row("群众满意度", "≥90%", "95%", "25.0", level1="满意度指标", level2=None))
        finding = only_finding(form, shenzhen, self.code)
        assert (finding.expected, finding.found) == (100.0, 105.0)
        assert finding.message == "分值合计105（含预算执行率分值10），应为100"

    def test_a_printed_total_weight_other_than_100_fires(self, shenzhen):
        finding = only_finding(make_form(total_weight="90"), shenzhen, self.code)
        assert (finding.outcome.value, finding.found) == ("fail", 90.0)

    def test_a_blank_weight_is_not_counted_as_zero(self, shenzhen):
        form = with_row(make_form(), 0, row("活动场次", "≥10场", "12场", "", "15.0"))
        finding = only_finding(form, shenzhen, self.code)
        assert finding.outcome.value == "undetermined"
        assert "指标分值" in finding.message


class TestLevel1:
    code = "weights.level1"

    def test_every_block_of_a_2022_form_matches_its_label(self, national):
        assert outcomes(office_2022(), national, self.code) == [("pass", None)] * 3

    def test_rows_short_of_the_label_weight_fire(self, national):
        finding = only_finding(office_2022(quantity_weight="2.00"), national, self.code)
        assert (finding.outcome.value, finding.expected, finding.found) == ("fail", 50.0, 49.0)
        assert finding.message == "一级指标“产出”标注50分，下属指标分值合计49"

    def test_two_rows_of_one_block_printing_different_weights_fire(self, national):
        finding = only_finding(office_2022(first_label="产出(45分)"), national, self.code)
        assert finding.outcome.value == "fail"
        assert finding.message == "一级指标“产出”标注45、50分，下属指标分值合计50"

    def test_a_2021_form_prints_no_label_weight(self, shenzhen):
        (result,) = review(make_form(), shenzhen, pick=[self.code]).results
        assert result.outcome.value == "n/a"

    def test_a_weighted_row_with_a_lost_block_is_undetermined(self, national):
        form = with_row(office_2022(), 0, row("政府公报", "≥5期", "5期", "3.00", level1="", level2=None))
        assert outcomes(form, national, self.code) == [
            ("undetermined", 0),
            ("undetermined", None),  # 产出 sums 47 without the lost row: not a certain shortfall
            ("pass", None),
            ("pass", None),
        ]


class TestProfile:
    code = "weights.profile"

    def test_the_shenzhen_weights_pass_under_shenzhen(self, shenzhen):
        assert outcomes(make_form(), shenzhen, self.code) == [("pass", None)]

    def test_a_form_off_its_profile_lists_every_block_and_the_nearest_profile(self, shenzhen, national, hubei):
        # luohu 2021 · 大剧院及莲塘口岸主题雕塑创作前期工作经费: 50/35/5.
        finding = only_finding(
            blocks_form("50.0", "35.0", "5.0"), shenzhen, self.code, profiles=[national, shenzhen, hubei]
        )
        assert finding.message == (
            "一级指标权重产出50、效益35、满意度5、预算执行率10"
            "与规则配置shenzhen-2021的产出50、效益20、满意度20、预算执行率10不一致"
        )
        assert "national-2020" in finding.note

    def test_a_form_fitting_another_profile_names_it(self, shenzhen, national, hubei):
        # luohu 2021 · 文化体育市场执法: 50/30/10 is national-2020.
        finding = only_finding(
            blocks_form("50.0", "30.0", "10.0"), shenzhen, self.code, profiles=[national, shenzhen, hubei]
        )
        assert finding.note.startswith("与规则配置national-2020")

    def test_a_combined_profile_key_compares_the_combined_sum(self, hubei):
        # Hubei: 产出 40, 效益+满意度 40, funds 20 — a 30/10 split of the second half fits.
        assert outcomes(blocks_form("40.0", "30.0", "10.0", funds="20"), hubei, self.code) == [("pass", None)]

    def test_a_weighted_row_with_a_lost_block_is_undetermined(self, shenzhen):
        form = with_row(make_form(), 0, row("活动场次", "≥10场", "12场", "15.0", level1="", level2=None))
        assert outcomes(form, shenzhen, self.code) == [("undetermined", 0)]

    def test_without_other_profiles_the_finding_says_so(self, shenzhen):
        finding = only_finding(blocks_form("50.0", "30.0", "10.0"), shenzhen, self.code)
        assert "未提供其他规则配置" in finding.note

    def test_a_form_as_far_from_two_profiles_names_both(self, shenzhen, national, hubei):
        # 45/25/20 with funds 10 is 20 points from national-2020 (5 + 5 + 10) and from hubei (10 + 5 + 5).
        finding = only_finding(
            blocks_form("45.0", "25.0", "20.0"), shenzhen, self.code, profiles=[hubei, national, shenzhen]
        )
        assert finding.note == "最接近的其他规则配置：hubei与national-2020（差距相同）"
