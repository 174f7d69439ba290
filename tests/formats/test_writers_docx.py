"""The official form as .docx (writers/form_docx.py): the same table with gridSpan and vMerge.

The form is luohu-culture-bureau-2021.txt lines 3–23 (干部健康管理). The title is a
paragraph above the table, so table row 0 is the 项目名称 header.
"""

from __future__ import annotations

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm
from exported_forms import LUOHU_2021, LUOHU_2022, form_named

from jixiao.checks.review import review
from jixiao.writers import findings_table, form_table, write_forms
from jixiao.writers.findings import HEADINGS


@pytest.fixture(scope="module")
def health_form():
    return form_named(LUOHU_2021, "干部健康管理")


@pytest.fixture(scope="module")
def document(tmp_path_factory, health_form, shenzhen):
    path = tmp_path_factory.mktemp("docx") / "干部健康管理.docx"
    write_forms(path, "docx", [form_table(health_form)], findings_table([review(health_form, shenzhen)]))
    return docx.Document(path)


def layout_of(table, row: int) -> list[tuple[str, int, str | None]]:
    """A table row as (text, columns spanned, vMerge) per cell element."""
    cells = table._tbl.tr_lst[row].tc_lst
    return [("\n".join(p.text for p in docx.table._Cell(tc, table).paragraphs), tc.grid_span, tc.vMerge) for tc in cells]


def test_the_page_is_a4_landscape_and_chinese_text_is_set_in_song(document):
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)
    fonts = document.styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "宋体"


def test_the_title_is_a_paragraph_above_the_form_table(document):
    assert document.paragraphs[0].text == "项目支出绩效自评表"
    assert len(document.tables) == 2  # the form, then the findings


def test_horizontal_merges_are_grid_spans(document):
    form = document.tables[0]
    assert layout_of(form, 0) == [("项目名称", 1, None), ("干部健康管理", 3, None), ("项目金额", 1, None), ("300000", 4, None)]
    total = layout_of(form, 3)
    assert [text for text, _, _ in total] == ["", "年度资金总额", "100000.00", "100000.00", "55964.00", "10", "0.56", "5.60"]
    assert total[-1][1] == 2  # 得分 spans the last two columns
    assert layout_of(form, 18)[0] == ("总分", 6, None)


def test_vertical_merges_restart_on_the_label_and_continue_below(document):
    form = document.tables[0]
    # 项目资金（元） over the heading and the four funds rows (table rows 2–6).
    assert [layout_of(form, row)[0][2] for row in range(2, 7)] == ["restart", "continue", "continue", "continue", "continue"]
    assert layout_of(form, 2)[0][0] == "项目资金（元）"
    # 产出指标 over lines 15–18 of the sample: table rows 10–13, second column.
    assert [layout_of(form, row)[1][2] for row in range(10, 14)] == ["restart", "continue", "continue", "continue"]
    assert layout_of(form, 10)[1][0] == "产出指标"
    assert layout_of(form, 14)[1] == ("效益指标", 1, "restart")


def test_the_findings_table_opens_with_its_title_then_the_headings(document, health_form, shenzhen):
    findings = document.tables[1]
    assert layout_of(findings, 0) == [("审核意见", len(HEADINGS), None)]
    assert [text for text, _, _ in layout_of(findings, 1)] == list(HEADINGS)
    assert len(findings.rows) == 2 + len(review(health_form, shenzhen).findings)


def test_several_forms_are_several_tables_each_under_its_title(tmp_path):
    path = tmp_path / "two.docx"
    forms = [form_named(LUOHU_2021, "干部健康管理"), form_named(LUOHU_2022, "干部健康管理")]
    write_forms(path, "docx", [form_table(form) for form in forms])
    document = docx.Document(path)
    assert len(document.tables) == 2
    assert [p.text for p in document.paragraphs if p.text] == ["项目支出绩效自评表", "项目支出绩效自评表"]
    assert layout_of(document.tables[1], 0)[0][0] == "项目编码："
    usable = Mm(297 - 2 * 15)
    widths = [int(column.width) for column in document.tables[1].columns]
    assert abs(sum(widths) - usable) < 100  # EMUs: the table fills the page between its margins
