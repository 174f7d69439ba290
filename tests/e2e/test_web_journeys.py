"""What people do with the web app, in a real browser against the real server: log in, upload
files, open a form with findings, edit a value and see the form re-scored, dismiss a finding
with a reason, export the form, and be refused another unit's form. The run also saves the
README's screenshots (docs/images/screens).

Expected values come from the sample forms and the rules:
- 干部健康管理 (luohu 2022, lines 17 and 28): 保障处级干部健康管理人数, target 11, actual 11,
  weight 7.50, printed score 7.50; 总分 95.98. An actual of 10 falls short of the positive
  target, so the row is worth round(10 ÷ 11 × 7.5, 2) = 6.82 (scoring.md §3.1) and the total
  drops by 7.50 − 6.82 = 0.68 to 95.30, while the printed 7.50 is now a full score for an
  unmet target: score.unmet-full (checks.md §3).
- 文化体育市场 (luohu 2021) prints 总分 10 although its funds score and rows add up to 94
  (checks.md, score.total-mismatch), and its weights 45/25/20 are not shenzhen-2021's
  (weights.profile), a warning a reviewer may dismiss.
- shenzhen-culture-bureau-2021.txt holds three forms whose 主管部门 is the code 0102017.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal

from typing import TYPE_CHECKING

from openpyxl import load_workbook

from jixiao.readers import read_file

from .conftest import LUOHU_BUREAU, SHENHE, TIANBAO, WENTI, log_in, require_playwright, sample, screenshot

if TYPE_CHECKING:
    from playwright.sync_api import Page

expect = require_playwright().expect


def number(page: Page, testid: str) -> Decimal:
    return Decimal(page.get_by_test_id(testid).inner_text().strip())


def open_form(page: Page, name: str, year: int) -> None:
    """From the list: search the project name in one year and follow its link."""
    page.get_by_test_id("filter-year").select_option(str(year))
    page.wait_for_url(re.compile(rf"year={year}"))
    page.get_by_test_id("filter-search").fill(name)
    page.get_by_test_id("filter-submit").click()
    page.wait_for_url(re.compile(r"q="))
    page.get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_test_id("form-title")).to_have_text(name)


def test_a_wrong_password_is_refused_and_the_right_one_opens_the_users_own_forms(new_page, server):
    page = new_page()
    page.goto("/forms")
    expect(page).to_have_url(re.compile(r"/login\?next=/forms$"))  # nothing is shown to nobody
    screenshot(page, server, "login", height=480)
    page.get_by_test_id("login-username").fill(TIANBAO.username)
    page.get_by_test_id("login-password").fill("not-the-password")
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("login-error")).to_contain_text("用户名或密码不正确")
    log_in(page, TIANBAO)
    expect(page.get_by_test_id("current-user")).to_have_text("区委办填报人（填报人）")
    # tianbao's unit imported the 8 forms of luohu 2022, and sees no other unit's.
    expect(page.get_by_test_id("forms-total")).to_have_text("共 8 张表")
    expect(page.locator("[data-testid=forms-table] tbody tr")).to_have_count(8)
    expect(page.get_by_test_id("forms-table")).not_to_contain_text("文化体育市场")


def test_a_reviewer_uploads_two_files_and_sees_a_progress_bar_and_a_result_for_each(logged_in, server, tmp_path):
    not_a_form = tmp_path / "会议纪要.txt"
    not_a_form.write_text("会议纪要\n时间\t2022年3月1日\n", encoding="utf-8")
    page = logged_in(SHENHE)
    screenshot(page, server, "forms-list")
    page.get_by_test_id("nav-uploads").click()
    page.get_by_test_id("upload-files").set_input_files([str(sample("shenzhen-culture-bureau-2021.txt")), str(not_a_form)])
    page.get_by_test_id("upload-submit").click()
    expect(page.get_by_test_id("upload-results")).to_have_attribute("data-done", "true")

    for index in (0, 1):
        expect(page.get_by_test_id(f"upload-progress-{index}")).to_have_attribute("value", "100")
    stored = page.get_by_test_id("upload-result-0")
    expect(stored).to_contain_text("新增 3 张，新版本 0 张，未变 0 张")
    for name in ("深圳市文化广电旅游体育局信息化维护项目", "文化活动预告及文化新闻发布", "信息安全工作"):
        expect(stored.get_by_role("link", name=name, exact=True)).to_be_visible()
    refused = page.get_by_test_id("upload-result-1")
    expect(refused.get_by_test_id("file-error")).to_contain_text("未导入")

    # A new form opens from its result, placed in the department its code 0102017 names.
    stored.get_by_role("link", name="信息安全工作", exact=True).click()
    expect(page.get_by_test_id("form-title")).to_have_text("信息安全工作")
    expect(page.get_by_test_id("form-status")).to_have_text("已提交")  # a reviewer's import arrives submitted
    expect(page.locator(".crumbs")).to_contain_text("深圳市文化广电旅游体育局")


def test_editing_an_actual_value_rescores_the_row_the_total_and_the_findings(logged_in):
    page = logged_in(TIANBAO)
    open_form(page, "干部健康管理", 2022)
    expect(page.get_by_test_id("form-version")).to_have_text("第1版")
    expect(page.get_by_test_id("recomputed-indicator.0")).to_have_text("7.50")
    expect(page.get_by_test_id("score-recomputed")).to_have_text("95.98")
    errors_before = number(page, "count-errors")
    row = page.locator("tr[data-row='indicator.0']")
    expect(row.locator("[data-severity=error]")).to_have_count(0)

    page.get_by_test_id("cell-indicators.0.actual").click()
    editor = page.get_by_test_id("cell-editor-text")
    expect(editor).to_have_value("11")
    editor.fill("10")
    page.get_by_test_id("cell-editor-save").click()

    expect(page.get_by_test_id("form-version")).to_have_text("第2版")
    expect(page.get_by_test_id("notice")).to_contain_text("实际完成值：“11”改为“10”")
    expect(page.get_by_test_id("cell-indicators.0.actual")).to_have_text("10")
    expect(page.get_by_test_id("recomputed-indicator.0")).to_have_text("6.82")
    expect(page.get_by_test_id("recomputed-indicator.0")).to_have_attribute("data-differs", "true")
    expect(page.get_by_test_id("score-recomputed")).to_have_text("95.30")
    expect(page.get_by_test_id("score-claimed")).to_have_text("95.98")  # the printed total is the unit's own
    expect(row).to_have_attribute("data-flag", "error")
    expect(row.locator("[data-severity=error]")).to_contain_text("score.unmet-full")
    assert number(page, "count-errors") == errors_before + 1
    expect(page.locator("[data-testid=findings-panel] article[data-code='score.unmet-full']")).to_contain_text("应为 6.82，填报 7.5")

    # What the page shows is what was stored: a reload shows the same version and scores.
    page.reload()
    expect(page.get_by_test_id("form-version")).to_have_text("第2版")
    expect(page.get_by_test_id("score-recomputed")).to_have_text("95.30")
    expect(page.get_by_test_id("version-2")).to_contain_text("在线修改")


def test_a_reviewer_dismisses_a_finding_with_a_reason_and_the_exported_xlsx_keeps_it(logged_in, server, tmp_path):
    page = logged_in(SHENHE)
    open_form(page, "文化体育市场", 2021)
    expect(page.get_by_test_id("score-claimed")).to_have_text("10.00")
    expect(page.get_by_test_id("score-recomputed")).to_have_text("94.00")
    total_row = page.locator("tr[data-row='total']")
    expect(total_row.locator("[data-severity=error]")).to_contain_text("score.total-mismatch")
    screenshot(page, server, "form-page", height=1650)

    finding = page.locator("[data-testid=findings-panel] article[data-code='weights.profile']")
    finding_id = finding.get_attribute("data-testid").removeprefix("finding-")
    warnings, still_open = number(page, "count-warnings"), number(page, "count-open")
    reason = "主管部门核定本项目权重为产出45、效益25、满意度20，符合当年要求"
    page.get_by_test_id(f"finding-dismiss-{finding_id}").click()
    page.get_by_test_id(f"finding-reason-{finding_id}").fill(reason)
    page.get_by_test_id(f"finding-dismiss-submit-{finding_id}").click()

    expect(page.get_by_test_id(f"finding-state-{finding_id}")).to_have_text("已驳回")
    expect(page.get_by_test_id(f"finding-{finding_id}").locator(".decision")).to_contain_text("shenhe 已驳回")
    expect(page.get_by_test_id(f"finding-{finding_id}").locator(".decision")).to_contain_text(reason)
    # A dismissed finding counts neither as a warning nor as waiting for a decision.
    expect(page.get_by_test_id("count-warnings")).to_have_text(str(warnings - 1))
    expect(page.get_by_test_id("count-open")).to_have_text(str(still_open - 1))
    page.reload()
    expect(page.get_by_test_id(f"finding-state-{finding_id}")).to_have_text("已驳回")

    with page.expect_download() as download:
        page.get_by_test_id("export-xlsx").click()
    assert download.value.suggested_filename == "文化体育市场-2021-第1版.xlsx"
    exported = tmp_path / "exported.xlsx"
    download.value.save_as(exported)
    # The official form reads back as the same form; the findings sheet carries the decision.
    (form,) = read_file(exported).forms
    assert (form.project.name, form.total.score.text) == ("文化体育市场", "10")
    texts = [str(cell) for sheet in load_workbook(exported) for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert any(f"（审核人已驳回：{reason}）" in text for text in texts)


def test_another_units_filler_is_refused_the_form_through_the_page_and_the_api(logged_in, server):
    form_id = server.form_id("档案管理事务", 2022)  # tianbao's unit's draft
    page = logged_in(WENTI)
    expect(page.get_by_test_id("forms-total")).to_have_text("共 22 张表")  # wenti's own unit's forms only
    expect(page.get_by_test_id("forms-table")).not_to_contain_text("档案管理事务")

    response = page.goto(f"/forms/{form_id}")
    assert response.status == 404
    expect(page.get_by_test_id("error-message")).to_have_text(f"没有编号为{form_id}的表")
    expect(page.locator("body")).not_to_contain_text("档案管理事务")

    csrf = json.loads(page.locator("body").get_attribute("hx-headers"))["X-CSRF-Token"]
    assert page.request.get(f"/api/forms/{form_id}").status == 404
    for url, data in (
        (f"/api/forms/{form_id}/cells", {"path": "indicators.0.actual", "text": "0"}),
        (f"/api/forms/{form_id}/comments", {"body": "看得到吗"}),
    ):
        refused = page.request.post(url, data=data, headers={"X-CSRF-Token": csrf})
        assert refused.status == 404, (url, refused.text())
    export = page.request.get(f"/exports/forms/{form_id}.xlsx")
    assert export.status == 404 and export.headers["content-type"].startswith("text/html")
    # Nothing changed: tianbao still sees the first version, with no comment.
    owner = logged_in(TIANBAO)
    owner.goto(f"/forms/{form_id}")
    expect(owner.get_by_test_id("form-version")).to_have_text("第1版")
    expect(owner.get_by_test_id("comments")).to_contain_text("暂无意见")


def test_the_dashboard_draws_a_years_charts_for_a_bureau(logged_in, server):
    page = logged_in(SHENHE)
    page.get_by_test_id("nav-dashboard").click()
    page.get_by_test_id("dashboard-year").select_option("2021")
    page.wait_for_url(re.compile(r"year=2021"))
    units = page.get_by_test_id("dashboard-unit")
    units.select_option(units.locator("option", has_text=LUOHU_BUREAU).get_attribute("value"))
    page.wait_for_url(re.compile(r"unit=\d+"))
    expect(page.get_by_test_id("dashboard")).to_have_attribute("data-ready", "true")
    expect(page.get_by_test_id("dashboard-forms")).to_have_text("22")  # the luohu culture bureau's 2021 forms
    for chart in ("chart-scores", "chart-grades", "chart-execution", "chart-codes"):
        expect(page.get_by_test_id(chart).locator("svg")).to_have_count(1)
    expect(page.locator("[data-testid=dashboard-codes] tbody tr")).to_have_count(10)  # the ten most frequent codes
    # 文化体育市场, submitted with a wrong printed total, waits for a reviewer.
    expect(page.get_by_test_id("dashboard-attention")).to_contain_text("文化体育市场")
    screenshot(page, server, "dashboard", height=1240)

