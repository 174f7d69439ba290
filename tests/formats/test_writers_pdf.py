"""The official form as HTML and PDF (writers/form_html.py, form_pdf.py).

The PDF must be A4 landscape, carry its CJK fonts embedded (fonts-noto-cjk), rule the table,
and put the findings on a page of their own after the form.
"""

from __future__ import annotations

from dataclasses import replace

import pdfplumber
import pytest
from exported_forms import LUOHU_2021, LUOHU_2022, form_named
from pdfminer.pdftypes import resolve1

from jixiao.checks.review import review
from jixiao.writers import findings_table, form_table, write_forms
from jixiao.writers.form_html import form_html

A4_LANDSCAPE = (841.89, 595.28)  # points


@pytest.fixture(scope="module")
def health_form():
    return form_named(LUOHU_2021, "干部健康管理")


@pytest.fixture(scope="module")
def pdf(tmp_path_factory, health_form, shenzhen):
    path = tmp_path_factory.mktemp("pdf") / "干部健康管理.pdf"
    write_forms(path, "pdf", [form_table(health_form)], findings_table([review(health_form, shenzhen)]))
    with pdfplumber.open(path) as document:
        yield document


def embedded_fonts(page) -> dict[str, list[str]]:
    """Base font name → the FontFile streams its descriptor carries (empty when not embedded)."""
    fonts = {}
    for reference in resolve1(page.page_obj.resources["Font"]).values():
        font = resolve1(reference)
        descendant = resolve1(resolve1(font["DescendantFonts"])[0])
        descriptor = resolve1(descendant["FontDescriptor"])
        fonts[str(font["BaseFont"])] = [key for key in descriptor if key.startswith("FontFile")]
    return fonts


def test_pages_are_a4_landscape(pdf):
    for page in pdf.pages:
        assert (round(page.width, 2), round(page.height, 2)) == A4_LANDSCAPE


def test_the_noto_cjk_fonts_are_embedded(pdf):
    fonts = embedded_fonts(pdf.pages[0])
    assert fonts and all("Noto" in name and "CJK" in name for name in fonts)
    assert all(streams for streams in fonts.values()), fonts


def test_the_form_page_shows_the_form_as_a_ruled_table(pdf):
    page = pdf.pages[0]
    text = page.extract_text()
    for expected in ("项目支出绩效自评表", "项目名称", "干部健康管理", "年度资金总额", "55964.00", "5.60", "退休干部健康管理次数", "总分"):
        assert expected in text
    assert len(page.edges) > 50  # every cell is ruled


def test_the_findings_follow_on_pages_of_their_own(pdf):
    texts = [page.extract_text() for page in pdf.pages]
    first = next(index for index, text in enumerate(texts) if text.startswith("审核意见"))
    assert first > 0 and not any("审核意见" in text for text in texts[:first])
    findings = "".join(texts[first:])
    assert "funds.low-execution" in findings  # 55.96% under shenzhen-2021's 80%


def test_merged_cells_are_rowspans_and_colspans(health_form):
    html = form_html([form_table(health_form)])
    assert '<td rowspan="5">项目资金（元）</td>' in html
    assert '<td colspan="3">干部健康管理</td>' in html
    assert '<td rowspan="4">产出指标</td>' in html
    assert '<td colspan="6">总分</td>' in html


def test_text_is_escaped_and_paragraph_breaks_stay_paragraphs():
    form = form_named(LUOHU_2022, "督查及绩效事务")
    odd = replace(form, project=replace(form.project, name="<b>名称</b> & 项目"))
    html = form_html([form_table(odd)])
    assert "&lt;b&gt;名称&lt;/b&gt; &amp; 项目" in html
    # The 实际完成情况 of 督查及绩效事务 is five numbered paragraphs (<p> in the source).
    assert "<p>2.有力推动重要督办任务落实。" in html
