"""The REST API under /api/: its OpenAPI schema, forms, cells, workflow, findings, imports,
the dashboard and users, with Chinese refusals as `{"detail": …}`.

Numbers from the sample: 干部健康管理 (luohu 2022) prints 全年执行数 64531 of 全年预算数
108000 and 预算执行率得分 5.98 = round(10 × 64531 ÷ 108000, 2) under national-2020.
"""

from __future__ import annotations

import pytest
from conftest import sample
from webapp import (  # noqa: F401  (fixtures)
    OFFICE,
    app,
    client,
    login,
    luohu_url,
    office_form,
    postgres_databases,
    postgres_template,
    seed_cache,
    settings,
    sqlite_template,
)


def test_the_openapi_schema_describes_the_api_and_only_the_api(client):
    schema = client.get("/api/openapi.json").json()
    paths = set(schema["paths"])
    assert {
        "/api/session",
        "/api/forms",
        "/api/forms/{form_id}",
        "/api/forms/{form_id}/cells",
        "/api/forms/{form_id}/status",
        "/api/forms/{form_id}/comments",
        "/api/forms/{form_id}/findings",
        "/api/findings/{finding_id}/decision",
        "/api/imports",
        "/api/dashboard",
        "/api/organisations",
        "/api/users",
    } <= paths
    assert all(path.startswith("/api/") for path in paths)
    assert "FormDetailOut" in schema["components"]["schemas"]


def test_a_form_comes_as_form_json_with_its_evaluation_and_findings(login, office_form):
    detail = login("tian").get(f"/api/forms/{office_form}").json()
    assert detail["summary"]["project_name"] == "干部健康管理"
    assert detail["summary"]["status"] == "draft"
    assert detail["form"]["funds"]["total"]["executed"] == 64531.0
    assert detail["evaluation"]["funds"]["score"] == 5.98
    assert detail["summary"]["execution_rate"] == pytest.approx(64531 / 108000, abs=1e-6)
    assert detail["editable"] is True and detail["can_decide"] is False
    assert detail["next_statuses"] == ["submitted"]
    assert "funds.low-execution" in {finding["code"] for finding in detail["findings"]}
    assert [version["number"] for version in detail["versions"]] == [1]


def test_the_list_takes_filters_sort_and_pages(login):
    qian = login("qian")
    page = qian.get("/api/forms", params={"year": 2021, "sort": "name", "page_size": 5, "page": 2}).json()
    assert (page["total"], page["page"], page["page_size"], page["pages"]) == (22, 2, 5, 5)
    names = [item["project_name"] for item in qian.get("/api/forms", params={"year": 2021, "sort": "name", "page_size": 200}).json()["items"]]
    assert [item["project_name"] for item in page["items"]] == names[5:10]


@pytest.mark.parametrize("params", [{"page_size": 201}, {"sort": "password"}, {"year": "二〇二二"}, {"status": "deleted"}])
def test_a_malformed_list_request_is_refused_with_422(login, params):
    response = login("qian").get("/api/forms", params=params)
    assert response.status_code == 422
    assert response.json()["detail"] == "请求参数不正确"


def test_editing_a_cell_returns_the_new_version_and_its_changes(login, office_form):
    tian = login("tian")
    saved = tian.post(
        f"/api/forms/{office_form}/cells", json={"path": "funds.total.executed", "text": "108000", "expected_version": 1}
    ).json()
    assert saved["version"] == 2 and saved["outcome"] == "version"
    assert saved["changes"] == [
        {
            "kind": "changed",
            "path": "funds.total.executed",
            "place": "年度资金总额·全年执行数",
            "old": "64531",
            "new": "108000",
            "text": "年度资金总额·全年执行数：“64531”改为“108000”",
        }
    ]
    detail = tian.get(f"/api/forms/{office_form}").json()
    assert detail["evaluation"]["funds"]["score"] == 10.0
    assert "funds.low-execution" not in {finding["code"] for finding in detail["findings"]}


def test_an_edit_made_on_an_old_version_is_a_conflict(login, office_form):
    tian = login("tian")
    tian.post(f"/api/forms/{office_form}/cells", json={"path": "indicators.0.deviation", "text": "甲", "expected_version": 1})
    response = tian.post(f"/api/forms/{office_form}/cells", json={"path": "indicators.0.deviation", "text": "乙", "expected_version": 1})
    assert response.status_code == 409
    assert response.json() == {"detail": "表已更新到第2版，请刷新后再修改"}


def test_the_workflow_through_the_api(login, office_form):
    tian, qian = login("tian"), login("qian")
    assert tian.post(f"/api/forms/{office_form}/status", json={"status": "submitted"}).json() == {
        "status": "submitted",
        "status_label": "已提交",
    }
    refused = qian.post(f"/api/forms/{office_form}/status", json={"status": "returned"})
    assert refused.status_code == 422
    assert qian.post(f"/api/forms/{office_form}/status", json={"status": "returned", "comment": "请补充"}).status_code == 200
    comment = tian.post(f"/api/forms/{office_form}/comments", json={"body": "已补充"})
    assert comment.status_code == 201 and comment.json()["author"] == "tian"
    comments = [item["body"] for item in tian.get(f"/api/forms/{office_form}").json()["comments"]]
    assert comments == ["请补充", "已补充"]
    actions = [entry["action"] for entry in tian.get(f"/api/forms/{office_form}/audit").json()]
    assert actions == ["comment.add", "form.status", "form.status", "form.import"]


def test_deciding_findings_through_the_api(login, office_form):
    qian = login("qian")
    finding = qian.get(f"/api/forms/{office_form}/findings").json()[0]
    missing = qian.post(f"/api/findings/{finding['id']}/decision", json={"state": "dismissed"})
    assert missing.status_code == 422 and missing.json() == {"detail": "驳回问题须说明理由"}
    decided = qian.post(f"/api/findings/{finding['id']}/decision", json={"state": "dismissed", "reason": "不成立"}).json()
    assert (decided["state"], decided["reason"], decided["decided_by"]) == ("dismissed", "不成立", "qian")
    assert qian.post("/api/findings/999999/decision", json={"state": "accepted"}).status_code == 404


def test_importing_files_reports_each_file(login):
    files = [
        ("files", ("shenzhen.txt", sample("shenzhen-culture-bureau-2021.txt").read_bytes(), "text/plain")),
        ("files", ("empty.txt", b"", "text/plain")),
    ]
    report = login("sun").post("/api/imports", files=files).json()
    assert (report["new"], report["versions"], report["unchanged"], report["failed"]) == (3, 0, 0, 1)
    assert [item["name"] for item in report["files"]] == ["shenzhen.txt", "empty.txt"]
    assert report["files"][0]["error"] is None and len(report["files"][0]["forms"]) == 3
    assert report["files"][1]["error"]


def test_importing_the_same_file_again_changes_nothing(login):
    content = sample("luohu-district-office-2022.txt").read_bytes()
    report = login("tian").post("/api/imports", files={"files": ("again.txt", content, "text/plain")}).json()
    assert (report["new"], report["versions"], report["unchanged"]) == (0, 0, 8)


def test_the_dashboard_needs_a_year(login):
    assert login("qian").get("/api/dashboard").status_code == 422
    board = login("qian").get("/api/dashboard", params={"year": 2022}).json()
    assert board["forms"] == 8
    assert board["by_status"] == {"draft": 8}
    assert board["units"][0]["rate"] is not None


def test_an_admin_adds_a_user_through_the_api(login):
    created = login("sun").post(
        "/api/users", json={"username": "li", "role": "filler", "organisation": OFFICE, "password": "初始密码-足够长"}
    )
    assert created.status_code == 201
    assert created.json()["role_label"] == "填报人"
    duplicate = login("sun").post("/api/users", json={"username": "li", "role": "filler", "organisation": OFFICE})
    assert duplicate.status_code == 409


def test_an_unknown_api_path_answers_json(login):
    response = login("sun").get("/api/nothing")
    assert response.status_code == 404
    assert response.json() == {"detail": "页面不存在"}


def test_an_admin_deactivates_a_user_and_sets_a_password_through_the_api(login):
    changed = login("sun").patch("/api/users/wu", json={"active": False})
    assert changed.status_code == 200
    assert (changed.json()["active"], changed.json()["can_log_in"]) == (False, False)
    again = login("sun").patch("/api/users/wu", json={"active": True, "password": "新设的密码-wu"})
    assert (again.json()["active"], again.json()["can_log_in"]) == (True, True)
    assert login("sun").patch("/api/users/nobody", json={"active": False}).status_code == 404
    assert login("sun").patch("/api/users/wu", json={"password": "短"}).status_code == 422


def test_only_an_admin_may_change_a_user_through_the_api(login):
    assert login("qian").patch("/api/users/tian", json={"active": False}).status_code == 403
    assert login("tian").get("/api/forms").status_code == 200  # still active
