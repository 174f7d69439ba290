"""The summary and report pages: a department's summary table of one year with its downloads,
and an evaluation report drafted from the evaluator's YAML, downloaded as .docx.

Expected numbers come from the seeded samples: 罗湖区委办 holds the district office's 8 forms
of 2022 (luohu-district-office-2022.txt, one form per project), the culture bureau its 22
forms of 2021. The grade bands are national-2020's (scoring.md): 90 and above is 优.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal

import docx
import pytest
from openpyxl import load_workbook
from webapp import (  # noqa: F401  (fixtures)
    OFFICE_DEPARTMENT,
    app,
    login,
    luohu_url,
    postgres_databases,
    postgres_template,
    seed_cache,
    settings,
    sqlite_template,
)

from jixiao import services

GRADE_BANDS = ((Decimal(90), "优"), (Decimal(80), "良"), (Decimal(60), "中"), (Decimal(0), "差"))


def _testid(html: str, testid: str) -> str:
    match = re.search(rf'data-testid="{re.escape(testid)}"[^>]*>(.*?)</', html, re.S)
    assert match, testid
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def _problems(html: str) -> str:
    return re.search(r'data-testid="report-problems">(.*?)</section>', html, re.S).group(1)


def _organisation_id(client, name: str) -> int:
    return next(item["id"] for item in client.get("/api/organisations").json() if item["name"] == name)


@pytest.fixture
def office_department(login) -> int:
    return _organisation_id(login("sun"), OFFICE_DEPARTMENT)


# --- summaries


def test_a_reviewer_sees_one_summary_row_per_form_of_the_department_and_year(login, office_department):
    page = login("qian").get("/summaries", params={"year": "2022", "department": office_department, "unit": "元"}).text
    assert _testid(page, "summary-title") == f"2022年{OFFICE_DEPARTMENT}部门预算项目绩效自评表"
    assert _testid(page, "summary-rows") == "8"
    table = re.search(r'data-testid="summary-table">(.*?)</table>', page, re.S).group(1)
    assert table.count("<tr>") == 3 + 8 + 1  # three header rows, the 8 projects, 合计
    assert "干部健康管理" in table
    # 干部健康管理 prints 全年预算数 108000 and 全年执行数 64531: 64531 ÷ 108000 = 59.75%, amounts in 元.
    assert "108000.00" in table and "64531.00" in table and "59.75%" in table
    assert int(_testid(page, "summary-findings")) > 0  # 59.75% is below the 80% low-execution threshold
    assert 'data-source="/summaries/trend.json?year=2022' in page
    assert '<script src="/static/echarts.min.js"' in page


def test_the_summary_shows_amounts_in_wan_yuan_by_default(login, office_department):
    page = login("qian").get("/summaries", params={"year": "2022", "department": office_department}).text
    assert "单位：万元" in page
    assert "10.80" in page and "6.4531" in page  # 108000 元 and 64531 元 (docs/summaries.md)


def test_the_summary_downloads_as_a_workbook_holding_the_table(login, office_department):
    response = login("qian").get("/summaries/export.xlsx", params={"year": "2022", "department": office_department})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[0] == "绩效自评汇总表"
    texts = {str(cell) for row in workbook.worksheets[0].iter_rows(values_only=True) for cell in row if cell}
    assert "干部健康管理" in texts
    assert f"2022年{OFFICE_DEPARTMENT}部门预算项目绩效自评表" in texts


def test_the_summary_downloads_as_a_word_document(login, office_department):
    response = login("qian").get("/summaries/export.docx", params={"year": "2022", "department": office_department})
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    assert any("干部健康管理" in cell.text for table in document.tables for row in table.rows for cell in row.cells)


def test_the_trend_gives_each_projects_execution_rate_by_year(login, office_department):
    data = login("qian").get("/summaries/trend.json", params={"year": "2022", "department": office_department}).json()
    assert data["years"] == [2020, 2021, 2022]
    health = next(item for item in data["projects"] if item["project"] == "干部健康管理")
    assert health["rates"] == [None, None, 59.75]


def test_a_filler_summarises_only_their_own_unit(login):
    page = login("tian").get("/summaries", params={"year": "2022"}).text
    assert _testid(page, "summary-rows") == "8"
    assert "文化" not in _testid(page, "summary-title")


def test_a_filler_of_another_unit_cannot_get_the_departments_summary(login, office_department):
    wu = login("wu")  # the culture bureau's 填报人
    params = {"year": "2022", "department": office_department}
    assert wu.get("/summaries", params=params).status_code == 404
    assert wu.get("/summaries/export.xlsx", params=params).status_code == 404
    assert wu.get("/summaries/trend.json", params=params).status_code == 404


def test_an_unknown_summary_format_is_no_page(login):
    assert login("qian").get("/summaries/export.exe", params={"year": "2022"}).status_code == 404


# --- reports


def _report_form(department: int, judgement: str, funds: str = "") -> dict[str, object]:
    return {"year": "2022", "department": department, "judgement": judgement, "funds": funds}


def test_the_report_page_starts_with_the_judgement_template(login):
    page = login("qian").get("/reports").text
    template = services.judgement_file_template()
    assert "立项依据充分性:" in template
    assert "立项依据充分性:" in _testid(page, "report-judgement")


def test_a_report_drafted_with_a_full_judgement_shows_its_total_and_grade(login, office_department):
    response = login("qian").post("/reports", data=_report_form(office_department, services.judgement_file_template()))
    assert response.status_code == 200
    page = response.text
    total = Decimal(_testid(page, "report-total"))
    grade = _testid(page, "report-grade")
    assert grade == next(name for floor, name in GRADE_BANDS if total >= floor)
    framework = re.search(r'data-testid="report-framework">(.*?)</table>', page, re.S).group(1)
    assert "立项依据充分性" in framework and "预算执行率" in framework
    assert "一、基本情况" in page and "五、有关建议" in page
    assert 'src="data:image/png;base64,' in page


def test_the_drafted_report_downloads_as_a_word_document(login, office_department):
    response = login("qian").post("/reports/export.docx", data=_report_form(office_department, services.judgement_file_template()))
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "一、基本情况" in text


def test_an_invalid_judgement_lists_its_problems(login, office_department):
    judgement = "indicators:\n  立项依据充分性:\n    points:\n      1: {met: false}\n  没有这个指标: {score: 3}\n"
    response = login("qian").post("/reports", data=_report_form(office_department, judgement))
    assert response.status_code == 400
    problems = _problems(response.text)
    assert "扣分理由" in problems and "没有这个指标" in problems
    assert 'data-testid="report-draft-view"' not in response.text
    # what was typed is shown again, to be corrected
    assert "没有这个指标" in _testid(response.text, "report-judgement")


def test_a_judgement_that_is_no_yaml_names_its_line(login, office_department):
    response = login("qian").post("/reports", data=_report_form(office_department, "indicators:\n  a: [1,\n  b: 2\n"))
    assert response.status_code == 400
    assert "YAML 格式错误" in _problems(response.text)


def test_a_report_needs_the_sessions_csrf_token(login, office_department):
    response = login("qian").post(
        "/reports", data=_report_form(office_department, ""), headers={"X-CSRF-Token": "not-the-token"}
    )
    assert response.status_code == 403


def test_a_filler_of_another_unit_cannot_draft_the_departments_report(login, office_department):
    response = login("wu").post("/reports", data=_report_form(office_department, ""))
    assert response.status_code == 404
