"""The department summary table written as .xlsx and .docx (writers/summary_*.py).

A written table reads back through `read_file` (the summary layout reader) into the values
it was drafted from; the xlsx keeps the sample's merged header; LibreOffice opens both files.
Hand-computed expectations come from luohu 2022 (lines noted) and the summary sample.
"""

from __future__ import annotations

import subprocess
from decimal import Decimal

import pdfplumber
import pytest
from conftest import sample
from docx import Document
from openpyxl import load_workbook
from tools import require_tool

from jixiao import services
from jixiao.domain.summary import KINDS, shown_amount, shown_rate
from jixiao.readers import read_file

TEN_THOUSAND = Decimal(10000)
TITLE = "2022年深圳市罗湖区委（政府）办本级部门预算项目绩效自评表"


@pytest.fixture(scope="module")
def forms():
    """The eight luohu 2022 forms and luohu 2021's 体彩金, a government-fund project."""
    luohu_2021 = read_file(sample("luohu-culture-bureau-2021.txt")).forms
    lottery = next(form for form in luohu_2021 if form.project.name == "体彩金")
    return [*read_file(sample("luohu-district-office-2022.txt")).forms, lottery]


@pytest.fixture(scope="module")
def written(forms, tmp_path_factory):
    """(run, path) per (format, unit): the same forms written four ways."""
    directory = tmp_path_factory.mktemp("summaries")
    out = {}
    for unit in ("万元", "元"):
        run = services.summarise(forms, year=2022, department="深圳市罗湖区委（政府）办本级", unit=unit)
        for to in ("xlsx", "docx"):
            out[to, unit] = (run, services.export_summary(run, to, directory / f"summary-{unit}.{to}"))
    return out


CASES = [("xlsx", "万元"), ("xlsx", "元"), ("docx", "万元"), ("docx", "元")]


@pytest.mark.parametrize(("to", "unit"), CASES)
def test_a_written_summary_reads_back_into_the_same_rows(written, to, unit):
    run, path = written[to, unit]
    result = read_file(path)
    assert result.errors == ()
    assert len(result.forms) == len(run.table.rows) == 9
    scale = TEN_THOUSAND if unit == "万元" else Decimal(1)
    for form, row in zip(result.forms, run.table.rows, strict=True):
        assert (form.source.layout, form.summary.seq, form.project.year) == ("summary", str(row.seq), 2022)
        assert (form.project.name, form.project.implementing_unit) == (row.project, row.unit)
        assert form.funds.total.adjusted.value == shown_amount(row.budget, unit) * scale
        assert form.funds.total.executed.value == shown_amount(row.spent, unit) * scale
        for printed, value in (
            (form.summary.general_budget, row.general_budget),
            (form.summary.government_fund, row.government_fund),
            (form.summary.non_fiscal, row.non_fiscal),
        ):
            assert printed.value == (None if value is None else shown_amount(value, unit) * scale)
        assert form.funds.rate.value == shown_rate(row.rate)
        assert (form.goals.expected, form.goals.actual) == (row.goal, row.outcome)
        assert [(indicator.target, indicator.actual) for indicator in form.indicators] == [
            (row.target_text(kind), row.actual_text(kind)) for kind in KINDS
        ]
        assert (form.summary.issues, form.summary.rectification) == (row.issues_text, row.rectification_text)


@pytest.mark.parametrize(("to", "unit"), CASES)
def test_the_numbers_read_back_are_those_of_the_forms(written, to, unit):
    forms = read_file(written[to, unit][1]).forms
    health, documents, lottery = forms[0], forms[6], forms[8]
    # luohu 2022 line 9: 108000 | 64531, rate 64531/108000 = 59.75%
    assert (health.funds.total.adjusted.value, health.funds.total.executed.value) == (108000, 64531)
    assert health.funds.rate.text == "59.75"
    assert health.summary.issues == "预算执行率59.75%，低于80%"
    # line 169: 1429601.95 元, which 万元 shows to the 元: 142.9602
    expected = Decimal("1429602") if unit == "万元" else Decimal("1429601.95")
    assert documents.funds.total.executed.value == expected
    assert documents.summary.rectification == "罗湖区电子政务内网终端延伸部署建设项目尾款费用：2023年会积极推进测评工作。"
    # luohu 2021 line 144: the lottery fund's 12210159.29 元 under 政府性基金, nothing under 一般公共预算
    assert lottery.summary.government_fund.value == (Decimal("12210159") if unit == "万元" else Decimal("12210159.29"))
    assert not lottery.summary.general_budget.present
    assert lottery.funds.rate.text == "98.83"


@pytest.mark.parametrize("to", ["xlsx", "docx"])
def test_the_title_and_unit_line_come_back(written, to):
    run, path = written[to, "元"]
    assert run.table.title == TITLE
    # a 元 table read as 万元 would be ten thousand times too large
    assert read_file(path).forms[0].funds.unit == "元"
    assert read_file(written[to, "万元"][1]).forms[0].funds.unit == "万元"


def test_the_xlsx_header_is_merged_like_the_sample(written):
    sheet = load_workbook(written["xlsx", "万元"][1])["绩效自评汇总表"]
    merged = {str(cell_range) for cell_range in sheet.merged_cells.ranges}
    header = {
        "A3:A5", "B3:B5", "C3:C5", "D3:D5", "E3:H3", "I3:I5", "J3:J5", "K3:K5", "L3:Q3", "R3:Y3", "Z3:Z5", "AA3:AA5",
        "E4:E5", "F4:G4", "H4:H5", "L4:M4", "N4:O4", "P4:Q4", "R4:S4", "T4:U4", "V4:W4", "X4:Y4",
    }  # fmt: skip
    assert header <= merged
    assert {"A1:AA1", "A2:AA2"} <= merged  # title and 单位 line
    assert "B6:B13" in merged  # the eight luohu 2022 projects share their unit cell
    assert "A15:C15" in merged  # 合计 after the nine projects
    texts = {cell.coordinate: cell.value for row in sheet.iter_rows(min_row=3, max_row=5) for cell in row if cell.value}
    assert (texts["E3"], texts["E4"], texts["F4"], texts["F5"], texts["G5"], texts["H4"]) == (
        "实际支出金额", "合计", "其中:财政拨款", "一般公共预算", "政府性基金", "非财政资金",
    )  # fmt: skip
    assert (texts["L3"], texts["R3"], texts["L4"], texts["X4"], texts["L5"], texts["Y5"]) == (
        "产出目标", "效益目标", "数量指标", "满意度指标", "年度指标内容", "完成情况",
    )  # fmt: skip
    assert sheet["A2"].value == "单位:万元"


def test_the_xlsx_stores_numbers_as_numbers(written):
    sheet = load_workbook(written["xlsx", "万元"][1])["绩效自评汇总表"]
    assert (sheet["A6"].value, sheet["D6"].value, sheet["E6"].value) == (1, 10.8, 6.4531)
    assert (sheet["D6"].number_format, sheet["E6"].number_format) == ("0.00", "0.0000")
    assert (sheet["I6"].value, sheet["I6"].number_format) == (pytest.approx(0.5975), "0.00%")
    # 合计: 108000 + 178000 + 103400 + 278500 + 1091200 + 1902800 + 1662200 + 321750 + 12355000 元
    assert sheet["D15"].value == pytest.approx(1800.085)


def test_the_xlsx_holds_the_findings_the_sources_and_the_charts(written):
    run, path = written["xlsx", "万元"]
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["绩效自评汇总表", "审核意见", "数据来源", "图表"]
    findings = workbook["审核意见"]
    codes = [findings.cell(row, 3).value for row in range(3, findings.max_row + 1)]
    assert codes.count("funds.low-execution") == 3  # 干部健康管理 59.75%, 离退休… 52.42%, 秘书处业务 75.54%
    assert len(codes) == sum(len(item.findings) for item in run.reviews)
    sources = workbook["数据来源"]
    first = [sources.cell(3, column).value for column in range(1, 10)]
    assert first[0:2] == ["1", "干部健康管理"]
    assert first[2].endswith("luohu-district-office-2022.txt")
    assert first[3:9] == ["form-2022", "1", "3–28", "9", "10、11", "12"]
    assert len(workbook["图表"]._charts) == 2


def test_the_docx_lists_the_findings_after_the_table(written):
    document = Document(str(written["docx", "万元"][1]))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert "审核意见" in texts and "数据来源" in texts
    assert any(text.startswith("1. 干部健康管理 · funds.low-execution") for text in texts)
    assert document.tables[0].rows[0].cells[0].text == TITLE


def test_a_read_summary_table_written_again_reads_back_unchanged(tmp_path):
    original = read_file(sample("longgang-industry-center-2020-summary.txt")).forms
    run = services.summarise(original)
    for to in ("xlsx", "docx"):
        again = read_file(services.export_summary(run, to, tmp_path / f"longgang.{to}"))
        assert again.errors == ()
        for before, after in zip(original, again.forms, strict=True):
            assert after.project.name == before.project.name
            assert after.funds.total.adjusted.value == before.funds.total.adjusted.value
            assert after.funds.total.executed.value == before.funds.total.executed.value
            assert after.summary.general_budget.value == before.summary.general_budget.value
            assert [(row.target, row.actual, row.applicable) for row in after.indicators] == [
                (row.target, row.actual, row.applicable) for row in before.indicators
            ]
            assert (after.summary.issues, after.summary.rectification) == ("无", "无")


def test_libreoffice_opens_both_files(written, tmp_path):
    soffice = require_tool("soffice")
    sources = [written["xlsx", "万元"][1], written["docx", "元"][1]]
    completed = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "pdf"),
            *map(str, sources),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    for source in sources:
        with pdfplumber.open(tmp_path / "pdf" / f"{source.stem}.pdf") as pdf:
            first = pdf.pages[0]
            assert first.width > first.height  # landscape
            text = "".join(page.extract_text() or "" for page in pdf.pages)
        assert "部门预算项目绩效自评表" in text and "其中:财政拨款" in text
        assert "干部健康管理" in text and "审核意见" in text
