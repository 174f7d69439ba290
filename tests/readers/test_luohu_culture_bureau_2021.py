"""luohu-culture-bureau-2021.txt: 22 forms of the 2021 layout (domain.md §5.1).

Expected values are read off the sample text by hand (line numbers are the file's).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from sample_files import by_line, forms, result, row_view  # noqa: F401  (forms and result are fixtures)

FILE = "luohu-culture-bureau-2021.txt"

# (项目名称, indicator rows counted in the file, printed 总分 得分)
FORMS = [
    ("干部健康管理", 8, "83.6"),
    ("文化体育市场执法", 22, "100"),
    ("预留增人增资指标", 8, "100"),
    ("预留年度事业发展支出", 9, "100"),
    ("文化产业规划及服务", 19, "95"),
    ("体彩金", 8, "99.9"),
    ("文物保护与管理工作", 26, "98"),
    ("宣传文化事业发展专项经费", 8, "10"),
    ("文化体育市场", 11, "10"),
    ("预算项目（深财教〔2021〕55号下达2021年宣传文化资金）", 8, "100"),
    ("大剧院及莲塘口岸主题雕塑创作前期工作经费", 8, "80"),
    ("预算项目", 8, "100"),
    ("疫情防控工作经费", 8, "100"),
    ("行政运行", 31, "99.7"),
    ("预算准备金", 8, "99"),
    ("群众体育工作", 18, "93"),
    ("群众文化工作", 36, "100"),
    ("粤海体育休闲公园运营管理测算经费", 8, "99.8"),
    ("扶贫工作", 11, "97.9"),
    ("党建工作", 9, "100"),
    ("预算项目", 8, "100"),
    ("旅游市场", 19, "95.6"),
]


def test_the_file_holds_22_forms_and_no_read_error(result):
    assert len(result.forms) == 22
    assert result.errors == ()


@pytest.mark.parametrize(("index", "name", "rows", "total_score"), [(i, *form) for i, form in enumerate(FORMS)])
def test_each_form_has_its_name_rows_and_printed_total(forms, index, name, rows, total_score):
    form = forms[index]
    assert form.project.name == name
    assert len(form.indicators) == rows
    assert form.total.weight.text == "100"
    assert form.total.score.text == total_score
    assert form.source.layout == "form-2021"
    assert form.funds.rate_scale == 1


def test_every_form_gives_funds_and_indicators_100_points(forms):
    for form in forms.values():
        weights = form.funds.weight.value + sum(row.weight.value for row in form.indicators)
        assert weights == 100, form.project.name


def test_the_first_form_reads_field_by_field(forms):
    form = forms[0]
    assert form.source.index == 0
    assert form.source.rows == (3, 23)
    assert form.source.file.endswith(FILE)
    project = form.project
    assert (project.name, project.code, project.year, project.budget_unit) == ("干部健康管理", None, None, None)
    assert project.department == "深圳市罗湖区文化广电旅游体育局"
    assert project.implementing_unit == "深圳市罗湖区文化广电旅游体育局"
    assert (project.amount.text, project.amount.value) == ("300000", Decimal(300000))

    funds = form.funds
    total, fiscal, carryover, other = funds.total, funds.fiscal, funds.carryover, funds.other
    assert (total.initial.text, total.adjusted.text, total.executed.text, total.rate.text, total.line) == (
        "100000.00",
        "100000.00",
        "55964.00",
        "0.56",
        8,
    )
    assert total.executed.value == Decimal("55964.00")
    assert (fiscal.initial.text, fiscal.adjusted.text, fiscal.executed.text, fiscal.rate.text, fiscal.line) == (
        "100000.00",
        "100000.00",
        "55964.00",
        "0.56",
        9,
    )
    for row, line in ((carryover, 10), (other, 11)):
        assert (row.initial.value, row.adjusted.value, row.executed.value, row.rate.value) == (0, 0, 0, 0)
        assert row.initial.text == "0.00" and row.line == line
    assert (funds.weight.text, funds.rate.text, funds.score.text) == ("10", "0.56", "5.60")
    assert funds.rate_claimed == Decimal("0.56")
    assert funds.unit == "元"

    assert form.goals.expected == "表示对离退休老干部的尊重、关心和爱护，让离退休干部健康愉快地疗养"
    assert form.goals.actual.startswith("通过开展本项目，实现每位退休老干部健康管理1次")
    assert form.goals.actual.endswith("一半的干部未前往疗养地消费，导致预算执行率偏低。")

    assert [row_view(row) for row in form.indicators] == [
        ("产出", "产出指标", "数量", "数量指标", "退休干部健康管理次数", "每人每年一次", "5次", "10.0", "5.0", True, ()),
        ("产出", "产出指标", "数量", "数量指标", None, "100%", "30%", "10.0", "3.0", True, ("level1", "level2")),
        ("产出", "产出指标", "时效", "时效指标", "完成此项任务", "在组织部文件规定时限内", "100%", "15.0", "15.0", True, ("level1",)),
        ("产出", "产出指标", "成本", "成本指标", "年度预算支出总金额", "控制在预算数内", "56%", "15.0", "15.0", True, ("level1",)),
        ("效益", "效益指标", "经济效益", "经济效益指标", "不适用", "不适用", "不适用", "0.0", "0.0", False, ()),
        ("效益", "效益指标", "社会效益", "社会效益指标", "提升老干部退休生活幸福度", "有效提升", "100%", "20.0", "20.0", True, ("level1",)),
        ("效益", "效益指标", "生态效益", "生态效益指标", "不适用", "不适用", "不适用", "0.0", "0.0", False, ("level1",)),
        ("满意度", "满意度指标", None, None, "退休老干部投诉率", "0", "0", "20.0", "20.0", True, ()),
    ]
    assert [row.line for row in form.indicators] == list(range(15, 23))
    deviation = "偏差原因：受疫情影响，多数人无法安排前往消费。 改进措施：充分考虑疫情影响，合理编制年度指标值。"
    assert [row.deviation for row in form.indicators] == [deviation, deviation] + ["无偏差"] * 6
    assert (form.total.weight.value, form.total.score.value, form.total.line) == (100, Decimal("83.6"), 23)
    assert form.summary is None


def test_a_row_with_no_name_and_no_labels_keeps_name_none_and_fills_both_levels(forms):
    row = by_line(forms[0], 16)  # ⇥⇥⇥⇥100%⇥30%⇥10.0⇥3.0
    assert (row.name, row.target, row.actual) == (None, "100%", "30%")
    assert (row.level1_text, row.level2_text) == ("产出指标", "数量指标")
    assert row.inferred == {"level1", "level2"}


def test_ragged_rows_read_the_same_whatever_their_leading_blanks(forms):
    form = forms[1]  # 文化体育市场执法
    # ⇥⇥制作宣传册⇥2万份⇥2万份⇥5.0⇥5.0⇥无偏差⇥ : the name sits in the 二级 column
    assert row_view(by_line(form, 42))[2:9] == ("数量", "数量指标", "制作宣传册", "2万份", "2万份", "5.0", "5.0")
    # ⇥开展游泳馆…⇥⇥完成时间6月底前⇥100% : a blank between the name and the target
    row = by_line(form, 47)
    assert (row.level2, row.name, row.target, row.actual) == (
        "时效",
        "开展游泳馆安全生产培训会及加印《游泳馆安全生产宣传手册》",
        "完成时间6月底前",
        "100%",
    )
    # ⇥成本指标⇥全年支出总金额… : a 二级 label in the 一级 column
    assert row_view(by_line(form, 53))[:5] == ("产出", "产出指标", "成本", "成本指标", "全年支出总金额")
    # 市场平稳有序经营⇥⇥⇥有所提升 : a name in the first column
    assert row_view(by_line(form, 56))[2:7] == ("社会效益", "社会效益指标", "市场平稳有序经营", "有所提升", "100%")
    # 生态效益指标⇥⇥不适用… and 满意度指标⇥文体经营者相应满意度 : labels in the first column
    assert row_view(by_line(form, 57))[:5] == ("效益", "效益指标", "生态效益", "生态效益指标", "不适用")
    assert row_view(by_line(form, 58))[:5] == ("满意度", "满意度指标", None, None, "文体经营者相应满意度")


def test_a_score_one_cell_right_of_its_weight_is_still_the_score(forms):
    form = forms[9]  # 预算项目（深财教〔2021〕55号…）
    row = by_line(form, 260)  # …⇥题材广泛、内容丰富、形式多样⇥100%⇥10.0⇥⇥10.0
    assert (row.target, row.actual, row.weight.text, row.score.text, row.deviation) == (
        "题材广泛、内容丰富、形式多样",
        "100%",
        "10.0",
        "10.0",
        None,
    )
    assert "第260行：得分与分值之间有空单元格（得分右移）" in form.notes
    # ⇥⇥时效指标⇥按计划开展⇥…⇥10.0⇥10.0⇥⇥无偏差 : a blank before the deviation note
    assert by_line(form, 261).deviation == "无偏差"


def test_a_missing_funds_header_does_not_matter(forms):
    form = forms[9]  # no 年初预算数 heading: 项目资金（元）⇥年度资金总额⇥0.00⇥500000.00⇥…
    funds = form.funds
    assert (funds.total.initial.text, funds.total.adjusted.text, funds.total.executed.text) == (
        "0.00",
        "500000.00",
        "500000.00",
    )
    assert (funds.weight.text, funds.rate.text, funds.score.text) == ("10", "1.00", "10.00")
    assert "资金表缺少表头（年初预算数/全年预算数…）" in form.notes


def test_a_funds_header_after_the_rows_does_not_matter(forms):
    form = forms[21]  # 旅游市场: a lone ⇥年初预算数 on line 584, after 其他资金
    funds = form.funds
    assert (funds.total.initial.text, funds.total.adjusted.text, funds.total.executed.text) == (
        "1200000.00",
        "1200000.00",
        "1199405.50",
    )
    assert (funds.weight.text, funds.rate.text, funds.score.text) == ("10", "1.00", "10.00")
    assert (funds.other.initial.text, funds.other.line) == ("0.00", 583)
    assert "第584行：资金表表头位于资金行之后" in form.notes


def test_a_funds_header_with_a_shifted_first_column_does_not_matter(forms):
    form = forms[5]  # 体彩金: 项目资金 (元)⇥年初预算数⇥⇥全年预算数 and ⇥年度资金总额⇥⇥11900000.00
    total = form.funds.total
    assert (total.initial.text, total.adjusted.text, total.executed.text) == (
        "11900000.00",
        "12355000.00",
        "12210159.29",
    )
    assert (form.funds.rate.text, form.funds.score.text) == ("0.99", "9.90")


def test_an_extra_cell_in_a_funds_row_is_dropped(forms):
    # 文化产业规划及服务, line 114: 其他资金⇥0.00⇥0.00⇥0.00⇥0.00⇥—⇥0.00⇥— (7 values)
    other = forms[4].funds.other
    assert (other.initial.text, other.adjusted.text, other.executed.text, other.rate.text) == ("0.00",) * 4
    # 行政运行, line 343: 其他资金⇥0.00⇥0.00⇥0.00⇥—⇥0.00⇥—⇥— (the extra "—" is at the end)
    other = forms[13].funds.other
    assert (other.initial.text, other.adjusted.text, other.executed.text, other.rate.text) == ("0.00",) * 4
    assert "第343行：资金行有7个数值，多余的单元格已忽略" in forms[13].notes


def test_amounts_keep_the_initial_and_adjusted_budgets_apart(forms):
    total = forms[4].funds.total  # 文化产业规划及服务: 1,901,000 年初 → 13,341,700 全年
    assert (total.initial.value, total.adjusted.value, total.executed.value) == (
        Decimal("1901000.00"),
        Decimal("13341700.00"),
        Decimal("13341667.00"),
    )
    assert forms[4].project.amount.value == Decimal(9119800)


def test_paragraph_tags_are_stripped_and_angle_bracket_text_is_kept(forms):
    goals = forms[15].goals  # 群众体育工作, line 412
    assert "<p>" not in goals.expected and "</p>" not in goals.expected
    assert goals.expected.startswith("一、罗湖区健身器材采购及维保经费按照《市文化广电旅游体育局关于审定")
    assert "<深圳市实施全民健身设施智能化提升工作方案(2020-2022年)>" in goals.expected
    assert goals.actual.startswith("通过开展本项目，便于市民可以就近就便开展体育健身活动")
    assert goals.actual.endswith("全年共举办近500场次校园足球联赛。")


def test_labels_fill_down_and_a_missing_label_inherits_the_one_above(forms):
    form = forms[15]  # 群众体育工作: no 时效 label, so 招标、安装时间 stays under 质量
    row = by_line(form, 422)
    assert (row.level1, row.level2, row.level2_text, row.name) == ("产出", "质量", "质量指标", "招标、安装时间")
    assert row.inferred == {"level1", "level2"}


def test_a_full_width_greater_than_sign_is_kept_as_printed(forms):
    assert by_line(forms[15], 421).target == "》62%"
    assert by_line(forms[15], 428).target == "》50所"
    assert by_line(forms[20], 571).target == "》35%"


def test_a_label_standing_in_for_the_name_is_a_label(forms):
    form = forms[8]  # 文化体育市场, line 242: ⇥⇥经济效益指标⇥不适用⇥不适用⇥0.0⇥0.0
    row = by_line(form, 242)
    assert row_view(row) == ("效益", "效益指标", "经济效益", "经济效益指标", None, "不适用", "不适用", "0.0", "0.0", False, ("level1",))
    assert "第242行：三级指标名称缺失，该位置为分类标签“经济效益指标”" in form.notes


def test_a_printed_first_level_is_kept_even_when_the_second_belongs_elsewhere(forms):
    form = forms[13]  # 行政运行, line 363: ⇥效益指标⇥成本指标⇥工作日的早餐、午餐时间
    row = by_line(form, 363)
    assert (row.level1, row.level1_text, row.level2, row.level2_text, row.inferred) == (
        "效益",
        "效益指标",
        "成本",
        "成本指标",
        frozenset(),
    )
    assert "第363行：二级指标“成本指标”不属于一级指标“效益指标”" in form.notes
    # ⇥⇥经济效益指标⇥年度支付总金额 (a cost row with the 经济效益 label), then a row with none
    assert row_view(by_line(form, 365))[:5] == ("效益", "效益指标", "经济效益", "经济效益指标", "年度支付总金额")
    assert row_view(by_line(form, 366))[2:5] == ("经济效益", "经济效益指标", "不适用")
    assert by_line(form, 366).inferred == {"level1", "level2"}
    # 文化体育市场, line 241: ⇥效益指标⇥成本指标⇥全年支出总金额
    assert row_view(by_line(forms[8], 241))[:5] == ("效益", "效益指标", "成本", "成本指标", "全年支出总金额")


def test_satisfaction_label_reads_as_first_level_in_either_column(forms):
    # 二级 column: ⇥⇥满意度指标⇥退休老干部投诉率 (干部健康管理), under 效益指标
    row = by_line(forms[0], 22)
    assert (row.level1, row.level1_text, row.level2, row.inferred) == ("满意度", "满意度指标", None, frozenset())
    # 一级 column: 满意度指标⇥使用部门投诉次数 (行政运行), and the rows below inherit it
    row = by_line(forms[13], 373)
    assert (row.level1, row.level1_text, row.level2, row.name) == ("满意度", "满意度指标", None, "使用部门投诉次数")
    row = by_line(forms[13], 374)
    assert (row.level1, row.level2, row.name, row.inferred) == ("满意度", None, "老干部投诉率", {"level1"})


def test_a_name_ending_in_indicator_is_not_a_label(forms):
    row = by_line(forms[13], 377)  # 党员满意度指标⇥≥90%⇥98%
    assert (row.level1, row.name, row.target, row.actual) == ("满意度", "党员满意度指标", "≥90%", "98%")


def test_a_cell_repeating_the_label_category_is_the_name(forms):
    row = by_line(forms[4], 136)  # ⇥满意度指标⇥满意度⇥≥95%⇥98%
    assert (row.level1, row.level2, row.name, row.target) == ("满意度", None, "满意度", "≥95%")


def test_a_fraction_written_as_the_actual_is_kept_as_printed(forms):
    row = by_line(forms[16], 470)  # 群众文化工作: ⇥成本指标⇥全年支出总金额⇥控制在预算数内⇥0.95⇥2.0⇥2.0
    assert (row.level2, row.actual, row.weight.text, row.score.text) == ("成本", "0.95", "2.0", "2.0")


def test_wrong_printed_totals_are_kept_as_evidence(forms):
    assert (forms[7].total.weight.text, forms[7].total.score.text) == ("100", "10")
    assert (forms[8].total.weight.text, forms[8].total.score.text) == ("100", "10")
    assert sum(row.score.value for row in forms[8].indicators) + forms[8].funds.score.value == 94


def test_a_total_row_without_its_dash_still_reads(forms):
    total = forms[3].total  # ⇥总分⇥⇥⇥⇥⇥⇥100⇥100
    assert (total.weight.text, total.score.text, total.line) == ("100", "100", 104)
