"""Who sees and changes what, through the pages and the API: a 填报人 only their own unit's
forms, a 审核人 the units under their organisation, an admin everything and the users.

Another unit's form is answered 404 everywhere (its existence is not revealed), and a change
refused to a user leaves the store as it was.
"""

from __future__ import annotations

import pytest
from conftest import sample
from storage_conftest import scalar
from webapp import (  # noqa: F401  (fixtures)
    CULTURE,
    OFFICE,
    app,
    culture_form,
    login,
    luohu_url,
    office_form,
    postgres_databases,
    postgres_template,
    seed_cache,
    settings,
    sqlite_template,
)

from jixiao.storage.database import connect


def _listed_units(client) -> tuple[int, set[str]]:
    page = client.get("/api/forms", params={"page_size": 200}).json()
    return page["total"], {item["unit_name"] for item in page["items"]}


def _version(settings, form_id: int) -> int:
    database = connect(settings.database_url)
    try:
        return scalar(database, "SELECT version FROM forms WHERE id = :id", id=form_id)
    finally:
        database.dispose()


def test_a_filler_lists_only_their_own_units_forms_through_the_api(login):
    assert _listed_units(login("tian")) == (8, {OFFICE})
    assert _listed_units(login("wu")) == (22, {CULTURE})


def test_a_filler_lists_only_their_own_units_forms_on_the_list_page(login, office_form, culture_form):
    page = login("tian").get("/forms").text
    assert "共 8 张表" in page
    assert f'data-testid="form-row-{office_form}"' in page
    assert f'data-testid="form-row-{culture_form}"' not in page


def test_a_reviewer_of_a_department_sees_only_that_department(login):
    assert _listed_units(login("zhao")) == (22, {CULTURE})


def test_a_reviewer_of_the_bureau_sees_every_unit_under_it_but_not_units_elsewhere(login):
    # The Longgang summary rows sit under 未分配, outside the Luohu bureau.
    assert _listed_units(login("qian")) == (30, {CULTURE, OFFICE})


def test_an_admin_sees_every_form(login):
    total, units = _listed_units(login("sun"))
    assert total == 37  # 8 + 22 + 7 summary rows
    assert {CULTURE, OFFICE} < units


@pytest.mark.parametrize(
    "path",
    [
        "/forms/{id}",
        "/forms/{id}/region",
        "/forms/{id}/cells?path=indicators.0.actual",
        "/exports/forms/{id}.xlsx",
        "/exports/forms/{id}/findings.xlsx",
        "/api/forms/{id}",
        "/api/forms/{id}/findings",
        "/api/forms/{id}/audit",
    ],
)
def test_a_filler_cannot_read_another_units_form(login, culture_form, path):
    response = login("tian").get(path.format(id=culture_form))
    assert response.status_code == 404
    assert "文化体育市场执法" not in response.text


@pytest.mark.parametrize("path", ["/forms/{id}", "/api/forms/{id}"])
def test_a_department_reviewer_cannot_read_a_form_of_another_department(login, office_form, path):
    assert login("zhao").get(path.format(id=office_form)).status_code == 404


def test_a_filler_cannot_edit_another_units_form_through_the_page(login, settings, culture_form):
    response = login("wu").get(f"/forms/{culture_form}")
    assert response.status_code == 200  # wu's own unit: visible
    response = login("tian").post(
        f"/forms/{culture_form}/cells", data={"path": "indicators.0.actual", "text": "0", "csrf_token": "csrf-token-of-tian"}
    )
    assert response.status_code == 404
    assert _version(settings, culture_form) == 1


def test_a_filler_cannot_edit_another_units_form_through_the_api(login, settings, culture_form):
    response = login("tian").post(f"/api/forms/{culture_form}/cells", json={"path": "indicators.0.actual", "text": "0"})
    assert response.status_code == 404
    assert response.json() == {"detail": f"没有编号为{culture_form}的表"}
    assert _version(settings, culture_form) == 1


def test_a_filler_cannot_comment_on_or_move_another_units_form(login, culture_form):
    tian = login("tian")
    assert tian.post(f"/api/forms/{culture_form}/comments", json={"body": "看看"}).status_code == 404
    assert tian.post(f"/api/forms/{culture_form}/status", json={"status": "approved"}).status_code == 404
    assert tian.post(f"/forms/{culture_form}/status", data={"status": "approved"}).status_code == 404


def test_a_filler_cannot_decide_the_findings_even_of_their_own_form(login, office_form):
    tian = login("tian")
    finding = tian.get(f"/api/forms/{office_form}/findings").json()[0]
    response = tian.post(f"/api/findings/{finding['id']}/decision", json={"state": "accepted"})
    assert response.status_code == 403
    page = tian.post(f"/forms/{office_form}/findings/{finding['id']}", data={"state": "accepted"}, headers={"HX-Request": "true"})
    assert page.status_code == 403
    assert page.headers["HX-Retarget"] == "#flash"
    assert "填报人不能确认或驳回审核问题" in page.text
    assert tian.get(f"/api/forms/{office_form}/findings").json()[0]["state"] == "open"


def test_a_filler_cannot_decide_a_finding_of_another_unit(login, culture_form):
    finding = login("sun").get(f"/api/forms/{culture_form}/findings").json()[0]
    response = login("tian").post(f"/api/findings/{finding['id']}/decision", json={"state": "accepted"})
    assert response.status_code == 404


def test_a_filler_cannot_approve_their_own_form(login, office_form):
    tian = login("tian")
    assert tian.post(f"/api/forms/{office_form}/status", json={"status": "submitted"}).json()["status"] == "submitted"
    response = tian.post(f"/api/forms/{office_form}/status", json={"status": "approved"})
    assert response.status_code == 403
    assert tian.get(f"/api/forms/{office_form}").json()["summary"]["status"] == "submitted"


def test_a_filler_sees_no_editor_and_cannot_edit_a_submitted_form(login, office_form):
    tian = login("tian")
    tian.post(f"/api/forms/{office_form}/status", json={"status": "submitted"})
    page = tian.get(f"/forms/{office_form}").text
    assert 'data-editable="true"' not in page
    assert tian.get(f"/forms/{office_form}/cells", params={"path": "indicators.0.actual"}).status_code == 403
    assert tian.post(f"/api/forms/{office_form}/cells", json={"path": "indicators.0.actual", "text": "3"}).status_code == 403


def test_a_reviewer_may_not_place_an_upload_outside_their_organisation(login):
    with sample("shenzhen-culture-bureau-2021.txt").open("rb") as file:
        response = login("zhao").post("/api/imports", files={"files": ("shenzhen.txt", file, "text/plain")}, data={"unit": OFFICE})
    report = response.json()
    assert response.status_code == 200
    assert report["failed"] == 1 and report["new"] == 0
    assert "不在您的管辖范围内" in report["files"][0]["error"]


def test_a_fillers_upload_goes_to_their_own_unit_whatever_unit_the_forms_print(login):
    with sample("shenzhen-culture-bureau-2021.txt").open("rb") as file:
        report = login("tian").post("/api/imports", files={"files": ("shenzhen.txt", file, "text/plain")}).json()
    assert report["new"] == 3
    tian_forms = login("tian").get("/api/forms", params={"page_size": 200}).json()
    assert tian_forms["total"] == 11
    assert {item["unit_name"] for item in tian_forms["items"]} == {OFFICE}


def test_the_dashboard_counts_only_what_the_user_sees(login):
    assert login("tian").get("/api/dashboard", params={"year": 2021}).json()["forms"] == 0
    assert login("tian").get("/api/dashboard", params={"year": 2022}).json()["forms"] == 8
    assert login("zhao").get("/api/dashboard", params={"year": 2022}).json()["forms"] == 0
    assert login("qian").get("/api/dashboard", params={"year": 2021}).json()["forms"] == 22


@pytest.mark.parametrize("path", ["/users", "/api/users"])
def test_only_an_admin_sees_the_users(login, path):
    assert login("qian").get(path).status_code == 403
    assert login("tian").get(path).status_code == 403
    response = login("sun").get(path)
    assert response.status_code == 200
    assert "tian" in response.text


def test_only_an_admin_adds_users(login):
    refused = login("qian").post("/api/users", json={"username": "new", "role": "filler", "organisation": OFFICE})
    assert refused.status_code == 403
    refused_page = login("qian").post("/users", data={"username": "new", "role": "filler", "organisation": OFFICE})
    assert refused_page.status_code == 403
    assert "new" not in {user["username"] for user in login("sun").get("/api/users").json()}


def test_a_filler_can_filter_only_by_their_own_unit(login):
    organisations = login("tian").get("/api/organisations").json()
    assert [item["name"] for item in organisations] == [OFFICE]
