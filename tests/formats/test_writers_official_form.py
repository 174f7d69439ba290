"""The printed form as a table (writers/official_form.py): rows, spans and numbers.

Expected rows are the sample's own lines (domain.md §5), laid on the official nine columns:
luohu-culture-bureau-2021.txt lines 5–23 (干部健康管理) and luohu-district-office-2022.txt
lines 5–28 (干部健康管理). "·" marks a cell covered by a merge.
"""

from __future__ import annotations

from decimal import Decimal

from builders import make_form
from exported_forms import LUOHU_2021, LUOHU_2022, form_named

from jixiao.domain.labels import read_label
from jixiao.writers.official_form import Role, blank_blocks, blank_table, form_table

COVERED = "·"


def rows_of(table) -> list[list[str]]:
    """Each row's nine cells: an anchor's text, "·" under a merge, "" where nothing is."""
    grid = [["" for _ in range(9)] for _ in range(table.rows)]
    for row, column in table.covered():
        grid[row][column] = COVERED
    for cell in table.cells:
        grid[cell.row][cell.column] = cell.text
    return grid


def row_starting(table, *texts: str) -> list[str]:
    """The one row whose filled cells (neither covered nor empty) start with `texts`."""
    found = [row for row in rows_of(table) if [text for text in row if text not in (COVERED, "")][: len(texts)] == list(texts)]
    assert len(found) == 1, f"{texts}: {len(found)} rows"
    return found[0]


def cell_at(table, row: int, column: int):
    return next(cell for cell in table.cells if (cell.row, cell.column) == (row, column))


def test_a_2021_form_is_drawn_with_the_header_and_funds_rows_of_the_sample():
    table = form_table(form_named(LUOHU_2021, "干部健康管理"))
    rows = rows_of(table)
    assert rows[0] == ["项目支出绩效自评表"] + [COVERED] * 8
    assert rows[1] == ["项目名称", "干部健康管理", COVERED, COVERED, "项目金额", "300000", COVERED, COVERED, COVERED]
    assert rows[2] == ["主管部门", "深圳市罗湖区文化广电旅游体育局", COVERED, COVERED, "实施单位", "深圳市罗湖区文化广电旅游体育局", COVERED, COVERED, COVERED]
    assert rows[3] == ["项目资金（元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分", COVERED]
    assert rows[4] == [COVERED, "年度资金总额", "100000.00", "100000.00", "55964.00", "10", "0.56", "5.60", COVERED]
    assert rows[5] == [COVERED, "其中：当年财政拨款", "100000.00", "100000.00", "55964.00", "—", "0.56", "—", COVERED]
    assert rows[7] == [COVERED, "其他资金", "0.00", "0.00", "0.00", "—", "0.00", "—", COVERED]
    assert rows[8][:5] == ["年度总体目标", "预期目标", COVERED, COVERED, "实际完成情况"]
    assert rows[9][1].startswith("表示对离退休老干部的尊重") and rows[9][4].startswith("通过开展本项目")


def test_a_2021_indicator_block_prints_each_label_once_merged_over_the_rows_it_covers():
    table = form_table(form_named(LUOHU_2021, "干部健康管理"))
    assert row_starting(table, "年度绩效指标") == ["年度绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]
    first = row_starting(table, "产出指标")
    assert first[:8] == [COVERED, "产出指标", "数量指标", "退休干部健康管理次数", "每人每年一次", "5次", "10.0", "5.0"]
    # Line 16 `⇥⇥⇥⇥100%⇥30%⇥10.0⇥3.0` lost its name; its labels are the merged ones above.
    lost = row_starting(table, "100%")
    assert lost[:8] == [COVERED, COVERED, COVERED, "", "100%", "30%", "10.0", "3.0"]
    spans = {cell.text: cell.span for cell in table.cells if cell.column in (1, 2) and cell.role is Role.VALUE}
    assert spans["产出指标"] == (4, 1)  # lines 15–18
    assert spans["数量指标"] == (2, 1)  # lines 15–16
    assert spans["效益指标"] == (3, 1)  # lines 19–21
    # Line 22 prints 满意度指标 in the 二级 column: it is the 一级 (target-grammar.md §6).
    assert row_starting(table, "满意度指标")[:4] == [COVERED, "满意度指标", "", "退休老干部投诉率"]
    assert rows_of(table)[-1] == ["总分", COVERED, COVERED, COVERED, COVERED, COVERED, "100", "83.6", "—"]


def test_a_2022_form_repeats_the_block_title_and_the_weighted_level1_on_every_row():
    table = form_table(form_named(LUOHU_2022, "干部健康管理"))
    rows = rows_of(table)
    assert rows[1] == ["项目编码：", "440303210301500001427", COVERED, "项目名称：", "干部健康管理", COVERED, "绩效自评年度：", COVERED, "2022"]
    assert rows[2] == ["实施单位：", "深圳市罗湖区委（政府）办本级", COVERED, COVERED, "一级预算单位：", COVERED, "深圳市罗湖区委（政府）办本级", COVERED, COVERED]
    assert rows[3][0] == "资金使用情况"
    assert rows[4] == ["", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率(%)", "得分", COVERED]
    assert rows[5] == ["项目资金（元）", "年度资金总额", "108000.00", "108000", "64531", "10", "59.7", "5.98", COVERED]
    assert rows[6] == [COVERED, "其中：当年财政拨款", "108000.00", "108000.00", "64531.00", "—", "—", "—", COVERED]
    assert rows[9][0] == "项目目标完成情况"
    assert rows[10][4] == "* 实际完成情况"
    assert row_starting(table, "年度绩效指标", "一级指标")[5:8] == ["* 实际完成值", "* 分值", "* 得分"]
    assert row_starting(table, "年度绩效指标", "产出(50分)", "质量")[3:8] == ["处级以上干部健康管理品质", "优", "100%", "15.00", "15.00"]
    assert row_starting(table, "年度绩效指标", "满意度(10分)", "其他满意度")[3:8] == ["无", "无", "无", "0", "0.00"]
    heading = next(cell.row for cell in table.cells if cell.text == "一级指标")
    assert not [cell for cell in table.cells if cell.column in (1, 2) and cell.row > heading and cell.span != (1, 1)]
    assert rows[-1] == ["总分", COVERED, COVERED, COVERED, COVERED, COVERED, "100.00", "95.98", "—"]


def test_numbers_are_numbers_formatted_to_the_digits_the_unit_printed():
    table = form_table(form_named(LUOHU_2022, "干部健康管理"))
    total_row = 5
    assert [(cell_at(table, total_row, column).number, cell_at(table, total_row, column).number_format) for column in range(2, 8)] == [
        (Decimal("108000.00"), "0.00"),
        (Decimal("108000"), "0"),
        (Decimal("64531"), "0"),
        (Decimal("10"), "0"),
        (Decimal("59.7"), "0.0"),
        (Decimal("5.98"), "0.00"),
    ]
    code = cell_at(table, 1, 1)
    assert (code.text, code.number) == ("440303210301500001427", None)  # 21 digits stay text


def test_a_printed_value_that_is_not_a_plain_number_stays_as_printed():
    table = form_table(make_form(rate="56%", rate_scale=100, initial="100,000.00"))
    total = row_starting(table, "年度资金总额")
    assert total[2] == "100,000.00" and total[6] == "56%"
    assert cell_at(table, 4, 6).number is None


def test_a_missing_funds_value_prints_a_dash_so_the_others_keep_their_place():
    # The reader takes a funds row's non-empty cells in a fixed order (domain.md §7.2).
    table = form_table(make_form(initial="", score=""))
    assert row_starting(table, "年度资金总额")[1:8] == ["年度资金总额", "—", "100000.00", "100000.00", "10", "1.00", "—"]


def test_a_2021_form_exported_as_2022_prints_its_rate_as_a_percentage():
    table = form_table(form_named(LUOHU_2021, "干部健康管理"), "form-2022")
    assert row_starting(table, "项目资金（元）", "年度资金总额")[6] == "56.0"
    assert row_starting(table, "其中：当年财政拨款")[6] == "—"


def test_a_2022_form_exported_as_2021_prints_its_rate_as_a_fraction_with_every_digit():
    table = form_table(form_named(LUOHU_2022, "干部健康管理"), "form-2021")
    assert row_starting(table, "年度资金总额")[6] == "0.597"
    assert rows_of(table)[1][:2] == ["项目名称", "干部健康管理"]


def test_a_long_narrative_gets_a_row_tall_enough_for_its_wrapped_lines():
    table = form_table(form_named(LUOHU_2021, "文化体育市场执法"))
    goals_row = next(cell.row for cell in table.cells if cell.text == "预期目标") + 1
    header_row = 1
    assert table.row_heights[goals_row] > 3 * table.row_heights[header_row]


def test_a_blank_2022_form_prints_each_block_with_its_national_weight(national):
    assert blank_blocks("form-2022", national) == [
        ("产出(50分)", ("数量", "质量", "时效", "成本")),
        ("效益(30分)", ("经济效益", "社会效益", "生态效益", "可持续影响")),
        ("满意度(10分)", ("服务对象满意度", "其他满意度")),
    ]
    table = blank_table("form-2022", national)
    assert row_starting(table, "项目资金（元）", "年度资金总额")[2:8] == ["", "", "", "10", "", ""]
    assert rows_of(table)[-1][6] == "100"
    total_row = next(cell.row for cell in table.cells if cell.text == "年度资金总额")
    formats = [cell_at(table, total_row, column).number_format for column in (2, 3, 4, 6, 7)]
    assert formats == ["0.00", "0.00", "0.00", "0.0", "0.00"]


def test_a_blank_2021_form_under_hubei_prints_its_funds_weight_and_no_weight_for_a_combined_block(hubei):
    assert [level1 for level1, _ in blank_blocks("form-2021", hubei)] == ["产出指标(40分)", "效益指标", "满意度指标"]
    table = blank_table("form-2021", hubei)
    assert row_starting(table, "年度资金总额")[5] == "20"
    assert rows_of(table)[-1][6] == "100"


def test_every_label_of_a_blank_form_reads_as_its_category_and_weight(shenzhen):
    for level1_text, level2_texts in blank_blocks("form-2021", shenzhen):
        level1 = read_label(level1_text)
        assert level1 is not None and level1.level == 1
        for level2_text in level2_texts:
            level2 = read_label(level2_text)
            assert level2 is not None and level2.level == 2, level2_text
    assert read_label("效益指标(20分)").weight == 20.0
