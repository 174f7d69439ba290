"""A drafted evaluation report written as .docx and PDF: the numbers in the documents are those
recomputed here by hand, the charts are embedded, and LibreOffice opens the .docx.

The report is drafted from the eight forms of luohu-district-office-2022.txt with every
scoring point met. The amounts and 数量 rows below are read off that file; the expected
numbers follow from the framework's formulas (docs/reports.md), worked out here independently.
"""

from __future__ import annotations

import subprocess
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal

import pdfplumber
import pytest
from conftest import sample
from docx import Document
from docx.oxml.ns import qn
from tools import require_tool

from jixiao import services
from jixiao.domain.report import Section, YearFigures
from jixiao.writers.charts import history_chart, report_charts

# 全年预算数 and 全年执行数 of the 年度资金总额 rows, in 元, form by form.
ADJUSTED = ["108000", "178000.00", "103400.00", "278500.00", "1091200.00", "1902800.00", "1662200.00", "321750.00"]
EXECUTED = ["64531", "177028.64", "54200.00", "278500.00", "927026.50", "1437356.40", "1429601.95", "317459.17"]
# (分值, 得分) of the 数量 rows of each form: only 行政运行 lost a point (人员经费发放完成率 6.5 of 7.5).
QUANTITY = [(15, 15), (15, 15), (15, 15), (15, 15), (15, 14), (15, 15), (15, 15), (15, 15)]


def half_up(value: Decimal, places: str = "0.01") -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def plain(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


BUDGET = sum(map(Decimal, ADJUSTED))  # 5,645,850 元
SPENT = sum(map(Decimal, EXECUTED))  # 4,685,703.66 元
EXECUTION = half_up(SPENT / BUDGET * 100)  # 82.99 (%)
EXECUTION_SCORE = half_up(5 * EXECUTION / 100)  # 4.15
COMPLETION = half_up(Decimal(sum(s for _, s in QUANTITY)) / sum(w for w, _ in QUANTITY) * 100, "1")  # 99 (%)
COMPLETION_SCORE = half_up(10 * COMPLETION / 100)  # 9.9
SAVING = half_up((BUDGET - SPENT) / BUDGET * 100)  # 17.01 (%)
# 决策 20 (all met) + 过程 (2 + 4.15 + 4 + 4 + 5) + 产出 (9.9 + 10 + 10 + 10 default) + 效益 (10 + 10):
# every 质量, 时效, 效益 and 满意度 row of the file is at full marks.
TOTAL = 20 + 2 + EXECUTION_SCORE + 4 + 4 + 5 + COMPLETION_SCORE + 10 + 10 + 10 + 10 + 10


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    directory = tmp_path_factory.mktemp("report")
    judgement = directory / "judgement.yaml"
    judgement.write_text(services.judgement_file_template(), encoding="utf-8")
    draft = services.draft_report(
        [sample("luohu-district-office-2022.txt")], judgement=judgement, date="2023年6月30日", subject="部门项目支出"
    )
    paths = {to: services.write_report(draft, to, directory / f"report.{to}") for to in ("docx", "pdf")}
    return draft, paths, directory


def test_the_independently_recomputed_numbers_are_those_expected():
    assert (BUDGET, SPENT) == (Decimal("5645850.00"), Decimal("4685703.66"))
    assert (EXECUTION, EXECUTION_SCORE, COMPLETION, COMPLETION_SCORE, SAVING) == (
        Decimal("82.99"), Decimal("4.15"), 99, Decimal("9.90"), Decimal("17.01")
    )  # fmt: skip
    assert TOTAL == Decimal("99.05")


def test_the_draft_scores_as_recomputed(written):
    draft, _, _ = written
    assert draft.assessment.total == TOTAL
    assert draft.assessment.grade == "优"
    assert draft.review.flatten("code") == []


def annex_rows(path) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in Document(str(path)).tables[-1].rows]


def test_the_docx_annex_table_states_the_recomputed_rates_and_scores(written):
    _, paths, _ = written
    rows = {row[2]: row for row in annex_rows(paths["docx"])}
    assert rows["三级指标"] == ["一级指标", "二级指标", "三级指标", "权重", "指标解释", "评分标准", "完成值", "得分"]
    assert rows["预算执行率"][3:4] + rows["预算执行率"][6:] == ["5", f"{EXECUTION}%", plain(EXECUTION_SCORE)]
    assert rows["实际完成率"][6:] == [f"{COMPLETION}%", plain(COMPLETION_SCORE)]
    assert rows["成本节约率"][6:] == [f"{SAVING}%", "10"]
    assert rows["—"][3] == "100" and rows["—"][7] == plain(TOTAL)  # the 总分 row


def test_the_docx_annex_merges_each_level1_cell_down_its_rows(written):
    _, paths, _ = written
    table = Document(str(paths["docx"])).tables[-1]._tbl
    starts = []
    for tr in table.tr_lst[1:]:
        first = tr.tc_lst[0]
        merge = first.tcPr.find(qn("w:vMerge")) if first.tcPr is not None else None
        if merge is not None and merge.get(qn("w:val")) == "restart":
            starts.append("".join(text.text for text in first.iter(qn("w:t"))))
    assert starts == ["决策 (20分)", "过程 (20分)", "产出 (40分)", "效益 (20分)"]


def test_the_docx_text_works_out_the_execution_rate_and_concludes_with_the_grade(written):
    _, paths, _ = written
    text = "\n".join(paragraph.text for paragraph in Document(str(paths["docx"])).paragraphs)
    budget, spent = plain(BUDGET / 10000), plain(half_up(SPENT / 10000, "0.0001"))
    assert f"预算执行率=（{spent}万元/{budget}万元）×100%={EXECUTION}%，5分×{EXECUTION}%，得{EXECUTION_SCORE}分" in text
    assert f"综合评价得分{plain(TOTAL)}分，评价等级为“优”" in text
    assert "2023年6月30日" in text


def test_the_docx_embeds_the_execution_composition_and_findings_charts(written):
    draft, paths, _ = written
    assert len(Document(str(paths["docx"])).inline_shapes) == 3
    assert sum(draft.report.finding_counts.values()) > 0  # the forms' findings are what the third chart counts


def test_the_pdf_states_the_same_numbers_and_puts_the_annex_on_landscape_pages(written):
    _, paths, _ = written
    with pdfplumber.open(paths["pdf"]) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages).replace("\n", "")
        images = sum(len(page.images) for page in pdf.pages)
        last = pdf.pages[-1]
        landscape = last.width > last.height
    assert f"综合评价得分{plain(TOTAL)}分" in text
    assert f"={EXECUTION}%" in text and f"{SAVING}%" in text
    assert "项目支出绩效评价指标体系框架" in text
    assert images == 3
    assert landscape


def test_libreoffice_opens_the_docx_and_shows_the_report(written):
    soffice = require_tool("soffice")
    _, paths, directory = written
    completed = subprocess.run(
        [
            soffice, f"-env:UserInstallation=file://{directory / 'profile'}", "--headless",
            "--convert-to", "pdf", "--outdir", str(directory / "libreoffice"), str(paths["docx"]),
        ],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    converted = directory / "libreoffice" / "report.pdf"
    assert converted.exists(), completed.stdout + completed.stderr
    with pdfplumber.open(converted) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages).replace("\n", "").replace(" ", "")
    assert "2022年度部门项目支出绩效评价报告" in text
    assert f"综合评价得分{plain(TOTAL)}分" in text


def test_the_charts_are_those_the_sections_name_and_have_data_for(written):
    draft, _, _ = written
    charts = services.report_images(draft)
    assert sorted(charts) == ["composition", "execution", "findings"]  # one year only: no history chart
    assert all(image.startswith(b"\x89PNG\r\n\x1a\n") for image in charts.values())


def test_a_year_over_year_chart_is_drawn_when_an_earlier_year_is_given():
    draft = services.draft_report([sample("luohu-district-office-2022.txt")])
    years = (YearFigures(2021, Decimal(5_000_000), Decimal(4_000_000), 8), YearFigures(2022, BUDGET, SPENT, 8))
    report = replace(draft.report, history=years, sections=(Section("history", "（四）历年情况", 2, chart="history"),))
    assert list(report_charts(report)) == ["history"]
    assert history_chart(replace(report, history=years[1:])) is None


def test_the_docx_reads_back_into_the_same_report_and_passes_the_report_checks(written):
    draft, paths, _ = written
    review = services.check_report_file(paths["docx"])
    read = review.report
    assert [(row.name, row.weight.value, row.achieved, row.score.value) for row in read.rows] == [
        (row.name, row.weight.value, row.achieved, row.score.value) for row in draft.report.rows
    ]
    assert (read.total.value, read.grade_claimed, read.table_score.value) == (TOTAL, "优", TOTAL)
    assert read.computation("预算执行率").result.value == EXECUTION
    assert review.flatten("code", "outcome") == []
