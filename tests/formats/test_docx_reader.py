"""Word documents read as grids and forms (readers/docx.py).

The central test builds a document with python-docx the way a unit fills the form in Word:
a title paragraph, the form as a table with its header cells merged across, the funds
block's label and the 一级/二级 labels merged down over their rows, a signature line, then
the next form's title and table. Every form must read to the same values as the published
text extraction of the same form (form.json() without source, lines and notes). The merges
are chosen by hand from the paper form; each covers only cells the extraction leaves blank.

Constructs python-docx cannot write (nested tables, content controls, tracked changes,
gridBefore) are tested on small documents whose XML is written out here.
"""

from __future__ import annotations

import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from conftest import sample
from exported_forms import comparable
from tools import require_tool

from jixiao.readers import read_file
from jixiao.readers.docx import read_docx
from jixiao.readers.grid import Cell, ReadError
from jixiao.readers.limits import Limits

LUOHU_2021 = "luohu-culture-bureau-2021.txt"
LUOHU_2022 = "luohu-district-office-2022.txt"


@dataclass(frozen=True)
class WordForm:
    """The table of one sample form: its lines and the merges a unit would make.

    A merge is (line, column, rows, columns): its anchor's sample line and 0-based column.
    """

    sample: str
    first_line: int  # the 项目名称/项目编码 line; the title above it is a paragraph in Word
    last_line: int  # the 总分 line
    merges: tuple[tuple[int, int, int, int], ...]
    width: int = 9


# luohu-culture-bureau-2021.txt lines 5–23 (干部健康管理): 项目资金 (元) over the funds rows,
# 年度总体目标 over its two rows, 年度绩效指标 down to 总分, 产出指标/效益指标 and
# 数量指标 (with its 三级指标) over their rows, 总分 across the label columns.
LUOHU_FORM = WordForm(
    LUOHU_2021,
    5,
    23,
    (
        (5, 1, 1, 3),
        (5, 5, 1, 4),
        (6, 1, 1, 3),
        (6, 5, 1, 4),
        (7, 0, 5, 1),
        (12, 0, 2, 1),
        (12, 1, 1, 3),
        (12, 4, 1, 5),
        (13, 1, 1, 3),
        (13, 4, 1, 5),
        (14, 0, 10, 1),
        (15, 1, 4, 1),
        (15, 2, 2, 1),
        (15, 3, 2, 1),
        (19, 1, 3, 1),
        (23, 1, 1, 5),
    ),
)
# luohu-district-office-2022.txt lines 5–28 (干部健康管理, 2022 layout). The layout prints
# 年度绩效指标 and the 一级指标 on every indicator row, so those stay unmerged.
LUOHU_2022_FORM = WordForm(
    LUOHU_2022,
    5,
    28,
    (
        (5, 5, 1, 4),
        (6, 3, 1, 6),
        (7, 0, 1, 9),
        (8, 0, 1, 2),
        (9, 0, 4, 1),
        (13, 0, 1, 9),
        (14, 0, 2, 1),
        (14, 1, 1, 3),
        (14, 4, 1, 5),
        (15, 1, 1, 3),
        (15, 4, 1, 5),
        (28, 0, 1, 6),
    ),
)


def sample_lines(form: WordForm) -> dict[int, list[str]]:
    """The form's lines by line number, split at tabs."""
    lines = sample(form.sample).read_text(encoding="utf-8").split("\n")
    return {number: lines[number - 1].split("\t") for number in range(form.first_line, form.last_line + 1)}


def add_form_table(document, form: WordForm, first: int | None = None, last: int | None = None):
    """Lines first..last of the form as a Word table, merged as a unit merges them.

    A vertical merge cut by `first` continues the table before (w:vMerge continue in this
    table's first row); one cut by `last` is continued by the table after.
    """
    first, last = first or form.first_line, last or form.last_line
    lines = sample_lines(form)
    table = document.add_table(rows=last - first + 1, cols=form.width)
    table.style = "Table Grid"
    covered = set()
    for line, column, rows, columns in form.merges:
        for covered_line in range(line, line + rows):
            for covered_column in range(column, column + columns):
                if (covered_line, covered_column) != (line, column):
                    covered.add((covered_line, covered_column))
    for line in range(first, last + 1):
        for column, text in enumerate(lines[line][: form.width]):
            if (line, column) in covered:
                assert not text.strip(), f"merge covers {text!r} at line {line}"
            elif text:
                table.cell(line - first, column).text = text
    cut = []  # (w:tc, vMerge) of merges the table's edges cut; set last: python-docx cannot merge around them
    for line, column, rows, columns in form.merges:
        top, bottom = max(line, first), min(line + rows - 1, last)
        if top > bottom:
            continue
        right = column + columns - 1
        if (top, column) != (bottom, right):
            table.cell(top - first, column).merge(table.cell(bottom - first, right))
        if line < first:
            cut.append((table.cell(top - first, column)._tc, "continue"))
        elif bottom < line + rows - 1 and top == bottom:
            cut.append((table.cell(top - first, column)._tc, "restart"))
    for cell, merge in cut:
        cell.vMerge = merge
    return table


def expected_form(form: WordForm):
    """The form the text reader reads from the sample's lines of `form`."""
    result = read_file(sample(form.sample))
    found = [each for each in result.forms if each.source.rows[0] <= form.first_line <= each.source.rows[1]]
    assert len(found) == 1
    return found[0]


@pytest.fixture(scope="module")
def hand_made_document(tmp_path_factory) -> Path:
    """Two forms as two tables, with a title paragraph above each and a signature line between."""
    path = tmp_path_factory.mktemp("docx") / "单位自评表.docx"
    document = docx.Document()
    document.add_heading("项目支出绩效自评表", level=1)
    document.add_paragraph("（2021年度）")
    add_form_table(document, LUOHU_FORM)
    document.add_paragraph("填表人：张三　　联系电话：12345678")
    document.add_page_break()
    document.add_paragraph("项目支出绩效自评表")
    add_form_table(document, LUOHU_2022_FORM)
    document.save(path)
    return path


def test_a_hand_made_document_reads_to_the_same_forms_as_the_text_extraction(hand_made_document):
    result = read_file(hand_made_document)
    assert result.errors == ()
    assert [comparable(form) for form in result.forms] == [
        comparable(expected_form(LUOHU_FORM)),
        comparable(expected_form(LUOHU_2022_FORM)),
    ]


def test_the_document_saved_again_by_libreoffice_reads_to_the_same_forms(hand_made_document, tmp_path):
    """LibreOffice writes its own flavour of OOXML (its own tcPr, explicit empty runs)."""
    soffice = require_tool("soffice")
    profile = f"-env:UserInstallation=file://{tmp_path}/profile"
    subprocess.run(
        [soffice, "--headless", profile, "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(tmp_path / "out"), str(hand_made_document)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    result = read_file(tmp_path / "out" / hand_made_document.name)
    assert result.errors == ()
    assert [comparable(form) for form in result.forms] == [
        comparable(expected_form(LUOHU_FORM)),
        comparable(expected_form(LUOHU_2022_FORM)),
    ]


def test_the_forms_read_from_word_carry_the_values_printed_on_them(hand_made_document):
    first, second = read_file(hand_made_document).forms
    assert (first.project.name, first.funds.total.executed.text, first.total.score.text) == (
        "干部健康管理",
        "55964.00",
        "83.6",
    )
    assert (second.project.code, second.funds.rate.text, second.total.score.text) == (
        "440303210301500001427",
        "59.7",
        "95.98",
    )
    assert [indicator.level1 for indicator in first.indicators[:4]] == ["产出"] * 4


def test_each_table_is_one_grid_and_text_outside_tables_is_ignored(hand_made_document):
    grids = read_docx(str(hand_made_document), Limits())
    assert [grid.part for grid in grids] == ["表格1", "表格2"]
    assert [len(grid.rows) for grid in grids] == [19, 24]
    texts = {cell.text for grid in grids for row in grid.rows for cell in row if cell is not None}
    assert not any("填表人" in text or "自评表" in text for text in texts)


def test_a_merged_cell_is_one_anchor_with_its_span_and_covered_cells_are_none(hand_made_document):
    rows = read_docx(str(hand_made_document), Limits())[0].rows
    assert rows[0][1] == Cell("干部健康管理", (1, 3))
    assert rows[0][2:4] == (None, None)
    assert rows[2][0] == Cell("项目资金 (元)", (5, 1))
    assert [row[0] for row in rows[3:7]] == [None] * 4
    assert rows[9][0] == Cell("年度绩效 指标", (10, 1))
    assert rows[10][1] == Cell("产出指标", (4, 1))
    assert rows[18][1:6] == (Cell("总分", (1, 5)), None, None, None, None)


def test_form_rows_are_the_rows_of_the_table(hand_made_document):
    first, second = read_file(hand_made_document).forms
    assert first.source.rows == (1, 19)
    assert first.indicators[0].line == 11  # sample line 15, the table's 11th row
    assert (second.source.index, second.source.rows) == (1, (1, 24))


def test_a_form_cut_into_two_tables_reads_as_one_form(tmp_path):
    """Cut inside the 产出指标 merge: the second table continues 年度绩效指标 and 产出指标."""
    path = tmp_path / "分成两个表格.docx"
    document = docx.Document()
    document.add_paragraph("项目支出绩效自评表")
    add_form_table(document, LUOHU_FORM, last=16)
    document.add_paragraph("（续表）")
    add_form_table(document, LUOHU_FORM, first=17)
    document.save(path)

    grids = read_docx(str(path), Limits())
    assert [grid.part for grid in grids] == ["表格1–2"]
    rows = grids[0].rows
    assert rows[10][1] == Cell("产出指标", (4, 1))
    assert rows[9][0] == Cell("年度绩效 指标", (10, 1))
    assert rows[12][0] is None and rows[12][1] is None
    result = read_file(path)
    assert result.errors == ()
    assert [comparable(form) for form in result.forms] == [comparable(expected_form(LUOHU_FORM))]


def test_a_second_table_starting_at_the_indicator_header_continues_the_form(tmp_path):
    path = tmp_path / "指标另表.docx"
    document = docx.Document()
    add_form_table(document, LUOHU_FORM, last=13)
    add_form_table(document, LUOHU_FORM, first=14)
    document.save(path)

    assert [grid.part for grid in read_docx(str(path), Limits())] == ["表格1–2"]
    assert [comparable(form) for form in read_file(path).forms] == [comparable(expected_form(LUOHU_FORM))]


def test_a_table_that_opens_with_a_title_row_starts_a_grid_of_its_own(tmp_path):
    path = tmp_path / "标题在表内.docx"
    document = docx.Document()
    add_form_table(document, LUOHU_FORM)
    table = document.add_table(rows=2, cols=3)
    title = table.cell(0, 0).merge(table.cell(0, 2))
    title.text = "项目支出绩效自评表"
    table.cell(1, 0).text = "说明"
    document.save(path)

    grids = read_docx(str(path), Limits())
    assert [grid.part for grid in grids] == ["表格1", "表格2"]
    assert grids[1].rows[0][0] == Cell("项目支出绩效自评表", (1, 3))


def test_a_form_cut_before_a_section_row_of_one_cell_still_reads_as_one_form(tmp_path):
    """luohu-district-office-2022.txt line 13, 项目目标完成情况, is one merged cell: a title
    only ends the grid before it when that grid's form is finished."""
    path = tmp_path / "分节处分开.docx"
    document = docx.Document()
    add_form_table(document, LUOHU_2022_FORM, last=12)
    add_form_table(document, LUOHU_2022_FORM, first=13)
    document.save(path)

    assert [grid.part for grid in read_docx(str(path), Limits())] == ["表格1–2"]
    result = read_file(path)
    assert result.errors == ()
    assert [comparable(form) for form in result.forms] == [comparable(expected_form(LUOHU_2022_FORM))]


def test_a_titled_table_after_a_finished_form_is_a_grid_of_its_own_and_no_error(tmp_path):
    path = tmp_path / "附审核意见.docx"
    document = docx.Document()
    add_form_table(document, LUOHU_FORM)
    findings = document.add_table(rows=3, cols=3)
    findings.cell(0, 0).merge(findings.cell(0, 2)).text = "审核意见"
    for column, text in enumerate(("序号", "检查项", "说明")):
        findings.cell(1, column).text = text
    for column, text in enumerate(("1", "funds.low-execution", "预算执行率55.96%低于80%")):
        findings.cell(2, column).text = text
    document.save(path)

    assert [grid.part for grid in read_docx(str(path), Limits())] == ["表格1", "表格2"]
    result = read_file(path)
    assert result.errors == ()
    assert [comparable(form) for form in result.forms] == [comparable(expected_form(LUOHU_FORM))]


def test_a_signature_table_after_a_form_is_read_as_the_forms_footer(tmp_path):
    path = tmp_path / "签字表.docx"
    document = docx.Document()
    add_form_table(document, LUOHU_FORM)
    signature = document.add_table(rows=1, cols=4)
    for column, text in enumerate(("填报人", "张三", "联系电话", "12345678")):
        signature.cell(0, column).text = text
    document.save(path)

    assert [grid.part for grid in read_docx(str(path), Limits())] == ["表格1–2"]
    result = read_file(path)
    assert result.errors == ()
    assert len(result.forms) == 1


# Small documents written as XML, for what python-docx cannot make.

_NAMESPACES = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
)
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
_RELATIONSHIPS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="word/document.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
    "</Relationships>"
)


def write_docx(path: Path, body: str) -> Path:
    """A minimal .docx whose w:body is `body`."""
    document = f'<?xml version="1.0" encoding="UTF-8"?><w:document {_NAMESPACES}><w:body>{body}</w:body></w:document>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELATIONSHIPS)
        archive.writestr("word/document.xml", document)
    return path


# p, tc and table write the OOXML elements they are named after.


def p(*runs: str) -> str:
    return "<w:p>" + "".join(f"<w:r><w:t xml:space='preserve'>{run}</w:t></w:r>" for run in runs) + "</w:p>"


def tc(content: str, properties: str = "") -> str:
    return f"<w:tc><w:tcPr>{properties}</w:tcPr>{content}</w:tc>"


def table(*rows: str) -> str:
    return "<w:tbl><w:tblPr/><w:tblGrid/>" + "".join(f"<w:tr>{row}</w:tr>" for row in rows) + "</w:tbl>"


def grid_texts(path: Path) -> list[list[list[str | None]]]:
    """Each grid's rows as texts, covered cells as None."""
    return [
        [[None if cell is None else cell.text for cell in row] for row in grid.rows]
        for grid in read_docx(str(path), Limits())
    ]


def test_a_cell_of_several_paragraphs_joins_them_with_newlines(tmp_path):
    path = write_docx(
        tmp_path / "段落.docx",
        table(
            tc(p("偏差原因：", "疫情") + p("改进措施：提前安排"))
            + tc("<w:p><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t></w:r></w:p>")
            + tc("<w:p/>")
        ),
    )
    assert grid_texts(path) == [[["偏差原因：疫情\n改进措施：提前安排", "a\tb\nc", ""]]]


def test_deleted_text_field_codes_and_the_copy_of_a_text_box_are_not_read(tmp_path):
    body = table(
        tc(
            "<w:p><w:del><w:r><w:delText>旧值</w:delText></w:r></w:del><w:ins><w:r><w:t>95%</w:t></w:r></w:ins></w:p>"
        )
        + tc(
            "<w:p><w:r><w:fldChar w:fldCharType='begin'/></w:r><w:r><w:instrText>=SUM(ABOVE)</w:instrText></w:r>"
            "<w:r><w:fldChar w:fldCharType='separate'/></w:r><w:r><w:t>83.6</w:t></w:r>"
            "<w:r><w:fldChar w:fldCharType='end'/></w:r></w:p>"
        )
        + tc(
            "<w:p><w:r><w:t>见</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires='wps'>"
            "<w:txbxContent><w:p><w:r><w:t>附件</w:t></w:r></w:p></w:txbxContent></mc:Choice>"
            "<mc:Fallback><w:txbxContent><w:p><w:r><w:t>附件</w:t></w:r></w:p></w:txbxContent></mc:Fallback>"
            "</mc:AlternateContent></w:r></w:p>"
        )
    )
    assert grid_texts(write_docx(tmp_path / "修订.docx", body)) == [[["95%", "83.6", "见\n附件"]]]


def test_a_nested_table_becomes_lines_of_the_cell_that_holds_it(tmp_path):
    nested = table(tc(p("数量")) + tc(p("10次")), tc(p("质量")) + tc(p("合格")))
    body = table(
        tc(p("指标：") + nested + p("以上")) + tc(p("100"), "<w:gridSpan w:val='2'/>"),
        tc(p("a")) + tc(p("b")) + tc(p("c")),
    )
    assert grid_texts(write_docx(tmp_path / "嵌套.docx", body)) == [
        [["指标：\n数量\n10次\n质量\n合格\n以上", "100", None], ["a", "b", "c"]]
    ]


def test_vertical_merges_give_the_anchor_a_row_span(tmp_path):
    restart, further = "<w:vMerge w:val='restart'/>", "<w:vMerge/>"
    body = table(
        tc(p("产出指标"), restart) + tc(p("数量指标"), restart + "<w:gridSpan w:val='2'/>"),
        tc(p(), further) + tc(p(), "<w:vMerge w:val='continue'/><w:gridSpan w:val='2'/>"),
        tc(p(), further) + tc(p("质量指标"), "<w:gridSpan w:val='2'/>"),
    )
    rows = read_docx(str(write_docx(tmp_path / "纵向合并.docx", body)), Limits())[0].rows
    assert rows == (
        (Cell("产出指标", (3, 1)), Cell("数量指标", (2, 2)), None),
        (None, None, None),
        (None, Cell("质量指标", (1, 2)), None),
    )


def test_a_continue_cell_with_nothing_above_it_to_continue_is_a_cell_of_its_own(tmp_path):
    body = table(tc(p("一级"), "<w:gridSpan w:val='2'/>"), tc(p(), "<w:vMerge/>") + tc(p("x")))
    assert grid_texts(write_docx(tmp_path / "孤立合并.docx", body)) == [[["一级", None], ["", "x"]]]


def test_text_left_in_a_covered_cell_is_kept_on_the_anchor(tmp_path):
    body = table(tc(p("满意度"), "<w:vMerge w:val='restart'/>"), tc(p("指标"), "<w:vMerge/>"))
    rows = read_docx(str(write_docx(tmp_path / "覆盖文字.docx", body)), Limits())[0].rows
    assert rows == ((Cell("满意度\n指标", (2, 1)),), (None,))


def test_grid_before_leaves_empty_columns_at_the_start_of_a_row(tmp_path):
    body = table(
        tc(p("项目名称")) + tc(p("培训")),
        "<w:trPr><w:gridBefore w:val='1'/></w:trPr>" + tc(p("10")),
    )
    assert grid_texts(write_docx(tmp_path / "前置列.docx", body)) == [[["项目名称", "培训"], ["", "10"]]]


def test_cells_and_rows_inside_content_controls_are_read(tmp_path):
    body = (
        "<w:sdt><w:sdtContent>"
        + table(
            tc(p("项目名称")) + "<w:sdt><w:sdtPr/><w:sdtContent>" + tc(p("培训")) + "</w:sdtContent></w:sdt>",
            "<w:customXml w:element='x'>" + tc(p("a")) + "</w:customXml>",
        )
        + "</w:sdtContent></w:sdt>"
    )
    assert grid_texts(write_docx(tmp_path / "内容控件.docx", body)) == [[["项目名称", "培训"], ["a"]]]


def test_an_absurd_column_span_is_cut_to_words_limit(tmp_path):
    body = table(tc(p("x"), "<w:gridSpan w:val='99999999'/>") + tc(p("y"), "<w:gridSpan w:val='abc'/>"))
    rows = read_docx(str(write_docx(tmp_path / "跨列.docx", body)), Limits())[0].rows
    assert len(rows[0]) == 64
    assert rows[0][0] == Cell("x", (1, 63)) and rows[0][63] == Cell("y")


def test_a_document_without_tables_is_an_error_that_says_so(tmp_path):
    path = write_docx(tmp_path / "无表格.docx", p("项目支出绩效自评表") + p("项目名称：培训"))
    with pytest.raises(ReadError, match="没有表格"):
        read_docx(str(path), Limits())
    assert [error.message for error in read_file(path).errors] == ["文档中没有表格：自评表须以 Word 表格填写"]


def test_a_strict_open_xml_document_is_refused_with_a_clear_error(tmp_path):
    path = tmp_path / "strict.docx"
    strict = (
        '<w:document xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main">'
        "<w:body><w:tbl><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl></w:body></w:document>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", strict)
    with pytest.raises(ReadError, match="Strict Open XML"):
        read_docx(str(path), Limits())


def test_too_many_cells_is_an_error_not_a_slow_read(tmp_path):
    row = tc(p("a")) * 10
    path = write_docx(tmp_path / "大表.docx", table(*[row] * 30))
    with pytest.raises(ReadError, match="表格过大"):
        read_docx(str(path), Limits(max_cells=200))
