"""The PDF reader: sample forms drawn into PDFs read back to the forms of the text samples.

Expected values always come from the text sample itself (read by the text reader): a PDF
of a form must give the same form. Only where the form came from (source, line numbers,
the reader's notes) is left out of the comparison.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import sample
from formats.pdf_documents import (
    SampleForm,
    document_html,
    form_and_scan_pdf,
    forms_pdf,
    office_pdf,
    sample_forms,
    scanned_pdf,
    table_html,
    without_unicode_maps,
    write_pdf,
)
from tools import require_tool

from jixiao.readers import read_file
from jixiao.readers.grid import Grid, ReadError
from jixiao.readers.layouts import forms_from_grid
from jixiao.readers.limits import Limits
from jixiao.readers.pdf import NO_TEXT_LAYER, read_pdf
from jixiao.readers.pdf_text import cell_text, drop_doubled_glyphs, join_lines

SHENZHEN = "shenzhen-culture-bureau-2021.txt"
LUOHU_2022 = "luohu-district-office-2022.txt"
LUOHU_2021 = "luohu-culture-bureau-2021.txt"
SMALL_PAGE = "@page { size: A5 landscape; margin: 10mm; }"


def comparable(value):
    """A form's JSON without its origin."""
    if isinstance(value, list):
        return [comparable(item) for item in value]
    if isinstance(value, dict):
        return {key: comparable(item) for key, item in value.items() if key not in ("source", "notes", "line")}
    return value


def text_forms(path: Path) -> list[dict]:
    result = read_file(path)
    assert not result.errors
    return [comparable(form.json()) for form in result.forms]


def pdf_forms(path: Path) -> tuple[list[dict], list[ReadError], list[Grid]]:
    grids = read_pdf(str(path), Limits())
    forms, errors = [], []
    for grid in grids:
        found, failed = forms_from_grid(grid)
        forms += [comparable(form.json()) for form in found]
        errors += failed
    return forms, errors, grids


def row_texts(row) -> list[str]:
    """A grid row's texts, covered places blank, trailing blanks cut."""
    return row_texts_of([cell.text if cell is not None else "" for cell in row])


def row_texts_of(cells: list[str]) -> list[str]:
    texts = [cell.strip() for cell in cells]
    while texts and not texts[-1]:
        texts.pop()
    return texts


@pytest.fixture(scope="module")
def shenzhen_forms() -> list[SampleForm]:
    return sample_forms(sample(SHENZHEN))


@pytest.mark.parametrize("name", [SHENZHEN, LUOHU_2022, LUOHU_2021])
def test_each_sample_form_drawn_as_a_ruled_table_reads_back_to_the_same_values(name, tmp_path):
    path = sample(name)
    pdf = forms_pdf(sample_forms(path), tmp_path / "forms.pdf")
    forms, errors, _ = pdf_forms(pdf)
    assert errors == []
    assert forms == text_forms(path)


@pytest.mark.parametrize("name", [SHENZHEN, LUOHU_2022])
def test_a_form_drawn_without_rules_reads_back_to_the_same_values(name, tmp_path):
    path = sample(name)
    pdf = forms_pdf(sample_forms(path), tmp_path / "unruled.pdf", ruled=False)
    forms, errors, _ = pdf_forms(pdf)
    assert errors == []
    assert forms == text_forms(path)


@pytest.mark.parametrize("name", [SHENZHEN, LUOHU_2022])
def test_a_form_printed_to_pdf_by_an_office_suite_reads_back_to_the_same_values(name, tmp_path):
    soffice = require_tool("soffice")
    path = sample(name)
    forms, errors, _ = pdf_forms(office_pdf(sample_forms(path), tmp_path / "printed.pdf", soffice))
    assert errors == []
    assert forms == text_forms(path)


def test_merged_cells_come_back_as_spans_over_the_blank_cells_the_text_shows(shenzhen_forms, tmp_path):
    pdf = forms_pdf(shenzhen_forms, tmp_path / "merged.pdf")
    grids = read_pdf(str(pdf), Limits())
    assert [grid.part for grid in grids] == ["第1页", "第2页", "第3页"]
    for grid, form in zip(grids, shenzhen_forms, strict=True):  # the title above the table first, as in the text
        assert [row_texts(row) for row in grid.rows] == [[form.title]] + [row_texts_of(cells) for cells in form.rows]
    funds = next(row for row in grids[0].rows if row[0] is not None and row[0].text == "项目资金 (元)")
    assert funds[0].span == (5, 1)  # 项目资金 over its header and four amount rows
    index = grids[0].rows.index(funds)
    assert [grids[0].rows[index + below][0] for below in range(1, 5)] == [None] * 4
    total = grids[0].rows[-1]
    assert (total[0].text, total[0].span, total[1:6]) == ("总分", (1, 6), (None,) * 5)


def test_a_form_cut_by_a_page_break_is_one_grid_with_every_row(shenzhen_forms, tmp_path):
    form = shenzhen_forms[0]
    pdf = forms_pdf([form], tmp_path / "two-pages.pdf", css=SMALL_PAGE)
    forms, errors, grids = pdf_forms(pdf)
    assert [grid.part for grid in grids] == ["第1–2页"]
    # WeasyPrint draws no rule above a row that begins a page: the row must not be lost.
    assert [row_texts(row) for row in grids[0].rows] == [[form.title]] + [row_texts_of(cells) for cells in form.rows]
    assert errors == []
    assert forms == text_forms(sample(SHENZHEN))[:1]


def test_a_header_row_repeated_at_the_top_of_the_next_page_is_read_once(shenzhen_forms, tmp_path):
    form = shenzhen_forms[0]
    header = next(index for index, row in enumerate(form.rows) if row[0].startswith("年度绩效"))
    tables = [
        (form.title, table_html(form.rows[:header], merge=False) + table_html(form.rows[header:], merge=False, head=1)),
    ]
    pdf = write_pdf(document_html(tables, css=SMALL_PAGE), tmp_path / "repeated-header.pdf")
    forms, errors, grids = pdf_forms(pdf)
    assert grids[0].part == "第1–2页"
    headers = [row for row in grids[0].rows if row_texts(row)[:2] == ["年度绩效指标", "一级指标"]]
    assert len(headers) == 1
    assert errors == []
    assert forms == text_forms(sample(SHENZHEN))[:1]


def test_a_row_cut_in_two_by_a_page_break_is_joined_into_one(shenzhen_forms, tmp_path):
    form = shenzhen_forms[0]
    rows = [list(row) for row in form.rows]
    satisfaction = next(row for row in rows if row[0] == "满意度指标")
    satisfaction[7] = "；".join(f"第{number}条：{satisfaction[7]}" for number in range(1, 13))
    text = tmp_path / "long-deviation.txt"
    text.write_text("\n".join(["项目支出绩效自评表", *("\t".join(row) for row in rows)]) + "\n", encoding="utf-8")
    # Unmerged: a label merged over rows that a break cuts is drawn by WeasyPrint alone.
    pdf = forms_pdf([SampleForm(form.title, rows)], tmp_path / "cut-row.pdf", merge=False, css=SMALL_PAGE)
    forms, errors, grids = pdf_forms(pdf)
    assert grids[0].part.startswith("第1–")
    assert errors == []
    assert forms == text_forms(text)


def test_several_forms_on_one_page_are_read_as_separate_grids(shenzhen_forms, tmp_path):
    pdf = forms_pdf(shenzhen_forms[:2], tmp_path / "one-page.pdf", page_breaks=False)
    forms, errors, grids = pdf_forms(pdf)
    assert [grid.part for grid in grids] == ["第1页", "第1页"]
    assert errors == []
    assert forms == text_forms(sample(SHENZHEN))[:2]


def test_fake_bold_glyphs_drawn_twice_are_read_once_and_noted(shenzhen_forms, tmp_path):
    pdf = forms_pdf(shenzhen_forms[:1], tmp_path / "bold.pdf", fake_bold=True)
    forms, errors, grids = pdf_forms(pdf)
    assert errors == []
    assert forms == text_forms(sample(SHENZHEN))[:1]
    assert len(grids[0].notes) == 1
    assert re.fullmatch(r"第1页有\d+个字重复绘制（伪粗体），已去重", grids[0].notes[0])


def test_read_file_puts_the_pdf_notes_on_the_forms(shenzhen_forms, tmp_path):
    pdf = forms_pdf(shenzhen_forms[:1], tmp_path / "bold.pdf", fake_bold=True)
    result = read_file(pdf)
    assert result.errors == ()
    assert any("伪粗体" in note for note in result.forms[0].notes)


def test_glyphs_without_a_unicode_map_make_the_file_unreadable_naming_the_page(shenzhen_forms, tmp_path):
    source = write_pdf(
        document_html([(form.title, table_html(form.rows)) for form in shenzhen_forms[:2]]),
        tmp_path / "uncompressed.pdf",
        uncompressed=True,
    )
    assert pdf_forms(source)[0] == text_forms(sample(SHENZHEN))[:2]  # readable with its maps
    broken = without_unicode_maps(source, tmp_path / "cid.pdf")
    with pytest.raises(ReadError) as raised:
        read_pdf(str(broken), Limits())
    assert "第1、2页的文字无法识别" in raised.value.message
    assert "(cid:" in raised.value.message


def test_a_scan_without_a_text_layer_is_refused_with_a_clear_message(tmp_path):
    with pytest.raises(ReadError) as raised:
        read_pdf(str(scanned_pdf(tmp_path / "scan.pdf")), Limits())
    assert raised.value.message == NO_TEXT_LAYER


def test_a_scanned_page_among_form_pages_is_skipped_with_a_note(shenzhen_forms, tmp_path):
    forms, errors, grids = pdf_forms(form_and_scan_pdf(shenzhen_forms[0], tmp_path / "with-scan.pdf"))
    assert errors == []
    assert forms == text_forms(sample(SHENZHEN))[:1]
    assert grids[0].notes == ("第2页没有文字层（可能是扫描件），未读取",)


def test_a_pdf_with_text_but_no_table_says_so(tmp_path):
    pdf = write_pdf("<html><body style=\"font-family: 'Noto Sans CJK SC'\"><p>关于报送绩效自评表的函</p></body></html>", tmp_path / "letter.pdf")
    with pytest.raises(ReadError) as raised:
        read_pdf(str(pdf), Limits())
    assert raised.value.message == "PDF 中未找到表格"


def test_lines_of_one_cell_join_without_a_space_in_chinese_and_with_one_between_latin_words():
    assert join_lines("完成我局市民中心本局局机关、文化大楼、中", "成体育大厦系统软件") == "完成我局市民中心本局局机关、文化大楼、中成体育大厦系统软件"
    assert join_lines("受疫情影响,旅游投诉量与旅游业务量是成正比的,", "2021年有半年时间") == "受疫情影响,旅游投诉量与旅游业务量是成正比的,2021年有半年时间"
    assert join_lines("annual budget", "execution rate") == "annual budget execution rate"
    assert join_lines("</", "p>") == "</p>"
    assert join_lines("", "首行") == "首行"


def glyph(text: str, x0: float, top: float, width: float = 8) -> dict:
    return {"text": text, "x0": x0, "x1": x0 + width, "top": top, "bottom": top + 8, "size": 8.0, "height": 8.0}


def line_of(text: str, x0: float, top: float, gaps: dict[int, float] | None = None) -> list[dict]:
    """Glyphs of one line: Chinese 8 pt wide, the rest 4 pt, `gaps` before given positions."""
    glyphs, x = [], x0
    for index, character in enumerate(text):
        x += (gaps or {}).get(index, 0)
        width = 8 if ord(character) > 0x2E80 else 4
        glyphs.append(glyph(character, x, top, width))
        x += width
    return glyphs


def test_a_glyph_drawn_again_a_hair_away_is_dropped_and_counted():
    chars = [glyph("项", 10, 20), glyph("项", 10.4, 20.1), glyph("目", 18, 20), glyph("目", 18.4, 19.8)]
    kept, dropped = drop_doubled_glyphs(chars)
    assert (list(kept), dropped) == ([chars[0], chars[2]], 2)


def test_the_same_glyph_in_the_next_cell_or_line_is_not_a_double():
    chars = [glyph("0", 10, 20), glyph("0", 18, 20), glyph("0", 10, 32)]
    assert drop_doubled_glyphs(chars) == (chars, 0)


def test_a_gap_between_latin_glyphs_is_a_space_but_one_beside_a_chinese_glyph_is_not():
    # LibreOffice sets digits apart from Chinese: `产出(50 分)` as drawn for 产出(50分).
    assert cell_text(line_of("产出(50分)", 10, 20, gaps={5: 1.7})) == "产出(50分)"
    assert cell_text(line_of("annualbudget", 10, 20, gaps={6: 2.0})) == "annual budget"


def test_a_number_broken_over_two_lines_of_a_narrow_cell_is_joined_whole():
    assert join_lines("44030321030150", "0001427") == "440303210301500001427"


def test_a_line_ending_in_a_comma_gets_back_the_space_the_cell_puts_after_commas():
    lines = line_of("人员, 在2月开始档案管理科一名辅助性人员离职,", 10, 20) + line_of("一直到2023年才招录成功", 10, 31)
    assert cell_text(lines) == "人员, 在2月开始档案管理科一名辅助性人员离职, 一直到2023年才招录成功"
    lines = line_of("受疫情影响,旅游投诉量与旅游业务量是成正比的,", 10, 20) + line_of("2021年有半年时间", 10, 31)
    assert cell_text(lines) == "受疫情影响,旅游投诉量与旅游业务量是成正比的,2021年有半年时间"


def test_a_space_drawn_at_the_end_of_a_wrapped_line_is_kept():
    lines = line_of("《中共中央 ", 10, 20) + line_of("国务院关于》", 10, 31)
    assert cell_text(lines) == "《中共中央 国务院关于》"


def test_lines_set_further_apart_than_line_spacing_are_paragraphs():
    lines = line_of("1.统筹全区年度督查检查", 10, 20) + line_of("考核计划。", 10, 31) + line_of("2.有力推动重要督办任务", 10, 47)
    assert cell_text(lines) == "1.统筹全区年度督查检查考核计划。\n2.有力推动重要督办任务"


def test_a_pdf_with_more_pages_than_the_limit_allows_is_refused(shenzhen_forms, tmp_path):
    pdf = forms_pdf(shenzhen_forms, tmp_path / "three-pages.pdf")
    with pytest.raises(ReadError) as raised:
        read_pdf(str(pdf), Limits(max_pdf_pages=2))
    assert raised.value.message == "PDF 页数超过上限（2 页），请拆分后再提交"


def test_a_pdf_with_more_cells_than_the_limit_allows_is_refused(shenzhen_forms, tmp_path):
    pdf = forms_pdf(shenzhen_forms[:1], tmp_path / "form.pdf")
    with pytest.raises(ReadError) as raised:
        read_pdf(str(pdf), Limits(max_cells=100))
    assert raised.value.message.startswith("表格过大")
