"""The pages: the form list and its filters, the form page laid out like the paper form with
findings on their rows, editing a cell and seeing the form re-scored, the review workflow,
uploads, exports, the dashboard and the users page.

Expected numbers come from the sample and the rules: 干部健康管理 (luohu 2022, lines 5–28)
prints 全年预算数 108000 and 全年执行数 64531, so its rate is 64531 ÷ 108000 = 59.75% and
its funds score under national-2020 round(10 × B/A, 2) = 5.98.
"""

from __future__ import annotations

import io
import json
import re

import pytest
from openpyxl import load_workbook
from conftest import sample
from webapp import (  # noqa: F401  (fixtures)
    CULTURE,
    OFFICE,
    OFFICE_DEPARTMENT,
    app,
    client,
    culture_form,
    csrf_of,
    login,
    luohu_url,
    office_form,
    postgres_databases,
    postgres_template,
    seed_cache,
    settings,
    sqlite_template,
)

HTMX = {"HX-Request": "true"}


def _testid(html: str, testid: str) -> str:
    """The text inside the element with that data-testid (tags removed)."""
    match = re.search(rf'data-testid="{re.escape(testid)}"[^>]*>(.*?)</', html, re.S)
    assert match, testid
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def _workbook_text(content: bytes) -> str:
    """Every text of every sheet of an .xlsx, joined."""
    workbook = load_workbook(io.BytesIO(content))
    return "\n".join(str(cell) for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row if cell)


def _row(html: str, key: str) -> str:
    """The <tr> of the paper form for a row key (indicator.2, funds, total, goals)."""
    match = re.search(rf'<tr data-row="{re.escape(key)}"[^>]*>(.*?)</tr>', html, re.S)
    assert match, key
    return match.group(1)


# --- the list


def test_the_list_shows_the_users_forms_with_scores_and_status(login, office_form):
    page = login("tian").get("/forms").text
    assert "共 8 张表" in page
    row = re.search(rf'data-testid="form-row-{office_form}".*?</tr>', page, re.S).group(0)
    assert "干部健康管理" in row and "59.75%" in row and "草稿" in row


@pytest.mark.parametrize(
    ("query", "total"),
    [
        ({"year": "2021"}, 22),
        ({"year": "2022"}, 8),
        ({"year": "", "unit": ""}, 30),  # a select's empty option means "any"
        ({"status": "draft"}, 8),
        ({"status": "submitted"}, 22),
        ({"q": "干部健康管理"}, 2),  # one in each file
        ({"q": "干部健康管理", "year": "2021"}, 1),
        ({"year": "abc"}, 30),  # malformed: ignored, not an error page
    ],
)
def test_the_list_filters_by_year_unit_status_and_name(login, query, total):
    assert f"共 {total} 张表" in login("qian").get("/forms", params=query).text


def test_the_list_filters_by_unit_including_the_units_below_it(login):
    organisations = {item["name"]: item["id"] for item in login("qian").get("/api/organisations").json()}
    assert "共 8 张表" in login("qian").get("/forms", params={"unit": organisations["罗湖区委办"]}).text
    assert "共 22 张表" in login("qian").get("/forms", params={"unit": organisations[CULTURE]}).text


def test_the_list_filters_by_errors_and_grade_as_the_api_does(login):
    qian = login("qian")
    for query, api in (({"errors": "yes"}, {"has_errors": "true"}), ({"errors": "no"}, {"has_errors": "false"}), ({"grade": "优"}, {"grade": "优"})):
        expected = qian.get("/api/forms", params=api).json()["total"]
        assert f"共 {expected} 张表" in qian.get("/forms", params=query).text
    with_errors = qian.get("/api/forms", params={"has_errors": "true", "page_size": 200}).json()["items"]
    assert all(item["error_count"] > 0 for item in with_errors)


def test_the_list_sorts_by_a_column_and_htmx_gets_only_the_table(login):
    response = login("tian").get("/forms", params={"sort": "rate"}, headers={**HTMX, "HX-Target": "forms-table"})
    assert "<html" not in response.text
    assert 'id="sort-field" value="rate" hx-swap-oob="true"' in response.text
    rates = [float(value) for value in re.findall(r'<td class="num">([\d.]+)%</td>', response.text)]
    assert len(rates) == 8 and rates == sorted(rates)


def test_an_admin_lists_all_37_forms_on_one_page_of_fifty(login):
    page = login("sun").get("/forms").text
    assert "共 37 张表" in page and 'data-testid="pager"' not in page
    assert len(re.findall(r'data-testid="form-row-', page)) == 37
    assert 'data-testid="form-row-' not in login("sun").get("/forms", params={"page": "2"}).text


# --- the form page


def test_the_form_page_is_laid_out_like_the_paper_form(login, office_form):
    page = login("tian").get(f"/forms/{office_form}").text
    assert _testid(page, "form-title") == "干部健康管理"
    assert _testid(page, "form-status") == "草稿"
    assert _testid(page, "execution-rate") == "59.75%"
    assert "项目支出绩效自评表" in page
    for label in ("项目编码：", "年度资金总额", "年度总体目标", "一级指标", "偏差原因分析及改进措施", "总分"):
        assert label in page
    assert _testid(page, "cell-funds.total.executed") == "64531"
    assert _testid(page, "cell-indicators.2.target") == "优"  # line 19: 处级以上干部健康管理品质 | 优
    assert _testid(page, "recomputed-funds") == "5.98"


def test_every_finding_shows_on_the_row_it_concerns(login, office_form):
    tian = login("tian")
    page = tian.get(f"/forms/{office_form}").text
    findings = tian.get(f"/api/forms/{office_form}/findings").json()
    assert findings
    for finding in findings:
        if finding["indicator_index"] is not None:
            assert f'data-testid="row-finding-{finding["id"]}"' in _row(page, f"indicator.{finding['indicator_index']}")
        elif finding["code"].startswith("funds."):
            assert f'data-testid="row-finding-{finding["id"]}"' in _row(page, "funds")
        assert f'id="finding-{finding["id"]}"' in page  # and in the panel below the form


def test_a_row_with_a_failed_check_is_flagged(login, office_form):
    page = login("tian").get(f"/forms/{office_form}").text
    # 59.75% < 80%: funds.low-execution, a warning, on the 年度资金总额 row
    assert re.search(r'<tr data-row="funds" data-flag="warning">', page)
    assert "funds.low-execution" in _row(page, "funds")


def test_a_draft_is_editable_by_its_filler_but_not_its_identity_cells(login, office_form):
    page = login("tian").get(f"/forms/{office_form}").text
    assert re.search(r'data-path="funds.total.executed" data-testid="cell-funds.total.executed" data-editable="true"', page)
    assert re.search(r'data-path="project.code" data-testid="cell-project.code">', page)  # shown, not editable


def test_the_cell_editor_shows_the_cells_place_and_text(login, office_form):
    response = login("tian").get(f"/forms/{office_form}/cells", params={"path": "indicators.2.actual"}, headers=HTMX)
    assert "第3项指标“处级以上干部健康管理品质”的实际完成值" in response.text
    assert re.search(r'<textarea[^>]*data-testid="cell-editor-text"[^>]*>100%</textarea>', response.text)
    assert 'name="version" value="1"' in response.text


def test_editing_a_cell_stores_a_new_version_and_shows_the_form_rescored(login, office_form):
    tian = login("tian")
    response = tian.post(
        f"/forms/{office_form}/cells",
        data={"path": "funds.total.executed", "text": "108000", "version": "1"},
        headers=HTMX,
    )
    region = response.text
    assert response.status_code == 200
    assert 'id="form-region"' in region and "<html" not in region
    assert _testid(region, "form-version") == "第2版"
    assert "全年执行数：“64531”改为“108000”" in _testid(region, "notice")
    assert _testid(region, "execution-rate") == "100.00%"
    assert _testid(region, "recomputed-funds") == "10.00"  # round(10 × 108000 ÷ 108000, 2)
    funds = _row(region, "funds")
    assert "funds.low-execution" not in funds
    # 当年财政拨款 still says 64531.00: the sub-rows no longer add up to the total
    assert "funds.subtotal-mismatch" in funds
    detail = tian.get(f"/api/forms/{office_form}").json()
    assert detail["summary"]["version"] == 2
    assert detail["versions"][0]["changes"][0]["path"] == "funds.total.executed"
    assert tian.get(f"/api/forms/{office_form}/audit").json()[0]["action"] == "form.edit"


def test_a_plain_form_post_is_redirected_back_to_the_page(login, office_form):
    response = login("tian").post(
        f"/forms/{office_form}/cells",
        data={"path": "indicators.0.deviation", "text": "已按计划完成", "csrf_token": csrf_of("tian")},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == f"/forms/{office_form}"


def test_an_edit_on_an_old_version_is_refused_in_the_message_area(login, office_form):
    tian = login("tian")
    tian.post(f"/forms/{office_form}/cells", data={"path": "indicators.0.deviation", "text": "甲", "version": "1"}, headers=HTMX)
    response = tian.post(f"/forms/{office_form}/cells", data={"path": "indicators.0.deviation", "text": "乙", "version": "1"}, headers=HTMX)
    assert response.status_code == 409
    assert response.headers["HX-Retarget"] == "#flash"
    assert "表已更新到第2版" in response.text


def test_an_identity_cell_cannot_be_edited(login, office_form):
    response = login("tian").post(f"/forms/{office_form}/cells", data={"path": "project.code", "text": "1"}, headers=HTMX)
    assert response.status_code == 422
    assert "项目编码和绩效自评年度" in response.text


def test_an_unknown_cell_is_refused_with_its_name(login, office_form):
    response = login("tian").get(f"/forms/{office_form}/cells", params={"path": "indicators.99.actual"})
    assert response.status_code == 422
    assert "indicators.99" in response.text


def test_an_unchanged_edit_stores_nothing(login, office_form):
    response = login("tian").post(f"/forms/{office_form}/cells", data={"path": "indicators.0.actual", "text": "11"}, headers=HTMX)
    assert "内容未改变" in response.text
    assert _testid(response.text, "form-version") == "第1版"


# --- workflow and findings


def test_a_filler_submits_and_a_reviewer_returns_with_a_reason(login, office_form):
    submitted = login("tian").post(f"/forms/{office_form}/status", data={"status": "submitted"}, headers=HTMX).text
    assert _testid(submitted, "form-status") == "已提交"
    assert 'data-editable="true"' not in submitted
    qian = login("qian")
    page = qian.get(f"/forms/{office_form}").text
    assert 'data-testid="status-approved"' in page and 'data-testid="status-returned"' in page
    refused = qian.post(f"/forms/{office_form}/status", data={"status": "returned"}, headers=HTMX)
    assert refused.status_code == 422 and "须写明原因" in refused.text
    returned = qian.post(f"/forms/{office_form}/status", data={"status": "returned", "comment": "执行率偏低，请补充说明"}, headers=HTMX).text
    assert _testid(returned, "form-status") == "退回"
    assert "执行率偏低，请补充说明" in returned
    assert 'data-editable="true"' in login("tian").get(f"/forms/{office_form}").text  # returned: editable again


def test_an_approved_form_is_locked(login, culture_form):
    qian = login("qian")
    approved = qian.post(f"/forms/{culture_form}/status", data={"status": "approved"}, headers=HTMX).text
    assert _testid(approved, "form-status") == "已审核"
    assert 'data-editable="true"' not in approved
    assert "finding-accept-" not in approved
    assert qian.post(f"/api/forms/{culture_form}/cells", json={"path": "indicators.0.actual", "text": "1"}).status_code == 403


def test_a_reviewer_dismisses_a_finding_only_with_a_reason(login, office_form):
    qian = login("qian")
    finding = next(item for item in qian.get(f"/api/forms/{office_form}/findings").json() if item["code"] == "funds.low-execution")
    path = f"/forms/{office_form}/findings/{finding['id']}"
    refused = qian.post(path, data={"state": "dismissed"}, headers=HTMX)
    assert refused.status_code == 422 and "驳回问题须说明理由" in refused.text
    region = qian.post(path, data={"state": "dismissed", "reason": "疫情影响，已说明"}, headers=HTMX).text
    assert _testid(region, f"finding-state-{finding['id']}") == "已驳回"
    assert "疫情影响，已说明" in region
    assert re.search(rf'data-testid="row-finding-{finding["id"]}"', _row(region, "funds"))
    assert 'data-state="dismissed"' in _row(region, "funds")
    # the only finding on the row: dismissed, so the row is no longer flagged
    assert '<tr data-row="funds">' in region


def test_a_reviewer_accepts_and_reopens_a_finding(login, office_form):
    qian = login("qian")
    finding = qian.get(f"/api/forms/{office_form}/findings").json()[0]
    path = f"/forms/{office_form}/findings/{finding['id']}"
    assert _testid(qian.post(path, data={"state": "accepted"}, headers=HTMX).text, f"finding-state-{finding['id']}") == "已确认"
    assert _testid(qian.post(path, data={"state": "open"}, headers=HTMX).text, f"finding-state-{finding['id']}") == "待处理"


def test_anyone_who_sees_the_form_may_comment(login, office_form):
    region = login("tian").post(f"/forms/{office_form}/comments", data={"body": "已补充佐证材料"}, headers=HTMX).text
    assert "已补充佐证材料" in region
    assert "已补充佐证材料" in login("qian").get(f"/forms/{office_form}").text
    assert login("tian").post(f"/forms/{office_form}/comments", data={"body": "  "}, headers=HTMX).status_code == 422


def test_a_department_summary_row_is_shown_as_its_cells(login):
    sun = login("sun")
    summary_form = sun.get("/api/forms", params={"kind": "summary"}).json()["items"][0]
    page = sun.get(f"/forms/{summary_form['id']}").text
    assert 'data-testid="summary-cells"' in page
    assert 'data-testid="export-xlsx"' not in page  # no official form to draw it on
    assert 'data-testid="export-findings-xlsx"' in page


# --- uploads


def test_the_upload_page_states_the_size_limit(login):
    assert "每个文件不超过 20 MB" in login("tian").get("/uploads").text


def test_uploading_a_file_shows_its_forms(login):
    with sample("shenzhen-culture-bureau-2021.txt").open("rb") as file:
        response = login("sun").post("/uploads", files={"files": ("深圳文化局2021.txt", file, "text/plain")}, headers=HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "深圳文化局2021.txt" in response.text
    assert "新增 3 张，新版本 0 张，未变 0 张" in re.sub(r"\s+", " ", response.text)
    assert len(re.findall(r'data-testid="imported-form-\d+"', response.text)) == 3


def test_each_uploaded_file_gets_its_own_result(login):
    good = sample("luohu-district-office-2022.txt").read_bytes()
    files = [("files", ("office.txt", good, "text/plain")), ("files", ("notes.txt", "这不是自评表\n".encode(), "text/plain"))]
    response = login("tian").post("/uploads", files=files, headers=HTMX)
    results = re.findall(r'data-testid="file-result" data-ok="(true|false)"', response.text)
    assert results == ["true", "false"]
    assert "未变 8 张" in response.text  # the same content again: nothing new is stored
    assert "未导入：" in response.text


def test_an_upload_without_javascript_renders_the_whole_page(login):
    with sample("shenzhen-culture-bureau-2021.txt").open("rb") as file:
        response = login("sun").post("/uploads", files={"files": ("a.txt", file, "text/plain")}, data={"csrf_token": csrf_of("sun")})
    assert "<html" in response.text and "新增 3 张" in response.text


def test_an_upload_keeps_only_the_files_own_name(login):
    with sample("shenzhen-culture-bureau-2021.txt").open("rb") as file:
        response = login("sun").post("/uploads", files={"files": ("../../etc/深圳.txt", file, "text/plain")}, headers=HTMX)
    assert "<strong class=\"file-name\">深圳.txt</strong>" in response.text


# --- exports


@pytest.mark.parametrize(("fmt", "magic"), [("xlsx", b"PK"), ("docx", b"PK"), ("pdf", b"%PDF")])
def test_a_form_exports_as_the_official_form(login, office_form, fmt, magic):
    response = login("tian").get(f"/exports/forms/{office_form}.{fmt}")
    assert response.status_code == 200
    assert response.content.startswith(magic)
    assert "filename*=UTF-8''%E5%B9%B2%E9%83%A8%E5%81%A5%E5%BA%B7%E7%AE%A1%E7%90%86-2022" in response.headers["content-disposition"]


def test_the_exported_workbook_holds_the_form_and_its_findings_with_decisions(login, office_form):
    qian = login("qian")
    finding = next(item for item in qian.get(f"/api/forms/{office_form}/findings").json() if item["code"] == "funds.low-execution")
    qian.post(f"/api/findings/{finding['id']}/decision", json={"state": "dismissed", "reason": "疫情影响"})
    strings = _workbook_text(qian.get(f"/exports/forms/{office_form}.xlsx").content)
    assert "干部健康管理" in strings and "审核意见" in strings
    assert "审核人已驳回：疫情影响" in strings


def test_the_listed_forms_findings_export_as_one_workbook(login):
    response = login("tian").get("/exports/findings.xlsx", params={"year": "2022"})
    assert response.status_code == 200
    assert "8%E5%BC%A0%E8%A1%A8" in response.headers["content-disposition"]  # 8张表
    assert "funds.low-execution" in _workbook_text(response.content)


def test_an_unknown_export_format_is_refused(login, office_form):
    assert login("tian").get(f"/exports/forms/{office_form}.exe").status_code == 422


# --- dashboard and users


def test_the_dashboard_shows_the_year_with_the_apis_numbers_for_its_charts(login):
    page = login("qian").get("/dashboard", params={"year": "2022"}).text
    assert _testid(page, "dashboard-forms") == "8"
    assert '<script src="/static/echarts.min.js"' in page
    charts = json.loads(re.search(r'<script type="application/json" id="dashboard-data">(.*?)</script>', page, re.S).group(1))
    data = login("qian").get("/api/dashboard", params={"year": 2022}).json()
    assert charts == data
    assert data["forms"] == 8
    # qian reviews the whole bureau: execution by its departments, each a link to its units.
    assert [unit["unit_name"] for unit in data["units"]] == [OFFICE_DEPARTMENT]
    assert f'/dashboard?year=2022&amp;unit={data["units"][0]["unit_id"]}' in page
    assert sum(data["by_score"].values()) == 8


def test_the_dashboard_opens_on_the_newest_year(login):
    assert "2022年度绩效自评统计" in login("qian").get("/dashboard").text


def test_the_vendored_scripts_are_served(client):
    for name, marker in (("htmx.min.js", b"htmx"), ("echarts.min.js", b"echarts")):
        response = client.get(f"/static/{name}")
        assert response.status_code == 200 and marker in response.content[:2000]


def test_an_admin_adds_an_organisation_and_a_user_who_can_then_log_in(login, client):
    sun = login("sun")
    sun.post("/organisations", data={"name": "罗湖区教育局", "kind": "department", "parent": "罗湖区财政局"})
    response = sun.post(
        "/users", data={"username": "zhou", "role": "reviewer", "organisation": "罗湖区教育局", "password": "新用户的初始密码2026"}, headers=HTMX
    )
    assert "已添加用户 zhou（审核人）" in response.text
    token = client.get("/api/session").json()["csrf_token"]
    logged = client.post("/api/session", json={"username": "zhou", "password": "新用户的初始密码2026"}, headers={"X-CSRF-Token": token})
    assert logged.json()["user"]["role"] == "reviewer"
    assert client.get("/api/forms").json()["total"] == 0  # nothing under the new department yet


def test_a_short_password_is_refused(login):
    response = login("sun").post("/users", data={"username": "x", "role": "admin", "password": "短"}, headers=HTMX)
    assert response.status_code == 422 and "密码至少8个字符" in response.text


def test_an_admin_resets_a_password_on_the_users_page(login, client):
    sun = login("sun")
    page = sun.get("/users").text
    assert 'data-testid="user-reset-tian"' in page and 'data-testid="user-toggle-sun"' not in page  # not oneself
    response = sun.post("/users/tian/password", data={"password": "重置后的密码-2026"}, headers=HTMX)
    assert "已重置用户 tian 的密码" in response.text
    token = client.get("/api/session").json()["csrf_token"]
    logged = client.post("/api/session", json={"username": "tian", "password": "重置后的密码-2026"}, headers={"X-CSRF-Token": token})
    assert logged.json()["user"]["username"] == "tian"
    assert sun.post("/users/tian/password", data={"password": "短"}, headers=HTMX).status_code == 422


def test_a_deactivated_users_open_session_ends_on_their_next_request(login):
    tian = login("tian")
    assert tian.get("/forms").status_code == 200
    response = login("sun").post("/users/tian/active", data={"active": "false"}, headers=HTMX)
    assert "已停用用户 tian" in response.text
    assert _testid(response.text, "user-state-tian") == "已停用"
    assert tian.get("/api/forms").status_code == 401
    # Activated again, tian logs in anew: the ended session is not revived.
    login("sun").post("/users/tian/active", data={"active": "true"})
    assert tian.get("/api/forms").status_code == 401
    token = tian.get("/api/session").json()["csrf_token"]
    assert tian.post("/api/session", json={"username": "tian", "password": "填报-密码-tian"}, headers={"X-CSRF-Token": token}).status_code == 200
    assert tian.get("/api/forms").status_code == 200
