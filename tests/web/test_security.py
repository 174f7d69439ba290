"""Logging in and out, the session cookie, CSRF protection on every changing request, upload
size limits and the headers every page carries."""

from __future__ import annotations

import re

import pytest
from conftest import sample
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from storage_conftest import table_counts
from webapp import (  # noqa: F401  (fixtures)
    PASSWORDS,
    app,
    client,
    csrf_of,
    login,
    luohu_url,
    office_form,
    postgres_databases,
    postgres_template,
    seed_cache,
    session_cookie,
    settings,
    sqlite_template,
)

from jixiao.storage.database import connect
from jixiao.web.app import ROUTERS, SESSION_COOKIE, create_app
from jixiao.web.settings import Settings

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def _login_form_token(client: TestClient, path: str = "/login") -> str:
    return CSRF_FIELD.search(client.get(path).text).group(1)


def _counts(settings: Settings) -> dict[str, int]:
    database = connect(settings.database_url)
    try:
        return table_counts(database)
    finally:
        database.dispose()


# --- logging in


def test_a_user_logs_in_with_their_password_and_lands_where_they_were_going(client):
    token = _login_form_token(client)
    response = client.post(
        "/login",
        data={"username": "tian", "password": PASSWORDS["tian"], "next": "/dashboard", "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/dashboard"
    assert client.get("/api/session").json()["user"]["username"] == "tian"


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(client):
    token = _login_form_token(client)
    response = client.post("/login", data={"username": "tian", "password": "猜的", "csrf_token": token})
    assert response.status_code == 401
    assert "用户名或密码不正确" in response.text
    assert client.get("/api/session").json()["user"] is None


def test_an_account_without_a_password_cannot_log_in(client):
    token = _login_form_token(client)
    response = client.post("/login", data={"username": "zhao", "password": "任意", "csrf_token": token})
    assert response.status_code == 401
    assert client.get("/api/session").json()["user"] is None


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"])
def test_the_page_after_login_is_always_on_this_site(client, target):
    token = _login_form_token(client)
    response = client.post(
        "/login",
        data={"username": "tian", "password": PASSWORDS["tian"], "next": target, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/forms"


def test_logging_in_gives_the_session_a_new_csrf_token(client):
    before = _login_form_token(client)
    client.post("/login", data={"username": "tian", "password": PASSWORDS["tian"], "csrf_token": before})
    after = client.get("/api/session").json()["csrf_token"]
    assert after != before


def test_logging_out_ends_the_session(login):
    tian = login("tian")
    response = tian.post("/logout", data={"csrf_token": csrf_of("tian")}, follow_redirects=False)
    assert response.headers["location"] == "/login"
    assert tian.get("/api/forms").status_code == 401


def test_the_api_logs_in_with_the_token_of_its_session(client):
    token = client.get("/api/session").json()["csrf_token"]
    response = client.post("/api/session", json={"username": "sun", "password": PASSWORDS["sun"]}, headers={"X-CSRF-Token": token})
    assert response.status_code == 200
    session = response.json()
    assert session["user"]["role"] == "admin"
    assert client.get("/api/forms").status_code == 200
    assert client.delete("/api/session", headers={"X-CSRF-Token": session["csrf_token"]}).status_code == 204
    assert client.get("/api/forms").status_code == 401


def test_a_page_asks_for_a_login_and_returns_to_itself(client, office_form):
    response = client.get(f"/forms/{office_form}?x=1", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/login?next=/forms/{office_form}%3Fx%3D1"


def test_an_htmx_request_without_a_login_is_sent_to_the_login_page(client, office_form):
    response = client.get(f"/forms/{office_form}/region", headers={"HX-Request": "true", "HX-Current-URL": f"http://testserver/forms/{office_form}"})
    assert response.headers["HX-Redirect"] == f"/login?next=/forms/{office_form}"


def test_the_api_answers_401_without_a_login(client, office_form):
    for path in ("/api/forms", f"/api/forms/{office_form}", "/api/dashboard?year=2022", "/api/users"):
        response = client.get(path)
        assert response.status_code == 401
        assert response.json() == {"detail": "请先登录"}


def test_a_forged_session_cookie_is_no_login(client):
    client.cookies.set(SESSION_COOKIE, "eyJ1c2VyIjogInN1biJ9.forged.signature")
    assert client.get("/api/forms").status_code == 401


# --- the session cookie


def test_the_session_cookie_is_http_only_and_same_site(client):
    cookie = client.get("/login").headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert "httponly" in cookie.lower()
    assert "samesite=lax" in cookie.lower()
    assert "secure" not in cookie.lower()


def test_the_session_cookie_is_secure_when_configured(settings):
    application = create_app(Settings(database_url=settings.database_url, secret_key="x" * 32, cookie_secure=True))
    with TestClient(application, base_url="https://testserver") as secure:
        assert "; secure" in secure.get("/login").headers["set-cookie"].lower()
    application.state.database.dispose()


# --- CSRF


def _changing_routes() -> list[tuple[str, str]]:
    return [
        (method, route.path)
        for router in ROUTERS
        for route in router.routes
        if isinstance(route, APIRoute)
        for method in sorted(route.methods - {"GET", "HEAD"})
    ]


def test_every_changing_route_is_covered_by_the_csrf_check(app):
    routes = _changing_routes()
    assert len(routes) >= 15
    for method, path in routes:
        filled = path.replace("{form_id}", "1").replace("{finding_id}", "1")
        with TestClient(app) as anonymous:
            token = anonymous.get("/api/session").json()["csrf_token"]
            assert token
            response = anonymous.request(method, filled, data={"csrf_token": "wrong"})
            assert response.status_code == 403, (method, path, response.status_code)


def test_a_change_without_the_csrf_token_is_refused_and_stores_nothing(app, settings, office_form):
    before = _counts(settings)
    with TestClient(app) as stranger:
        stranger.cookies.set(SESSION_COOKIE, session_cookie({"user": "tian", "csrf": csrf_of("tian")}))
        page = stranger.post(f"/forms/{office_form}/cells", data={"path": "indicators.0.actual", "text": "0"})
        api = stranger.post(f"/api/forms/{office_form}/cells", json={"path": "indicators.0.actual", "text": "0"})
        wrong = stranger.post(
            f"/api/forms/{office_form}/comments", json={"body": "x"}, headers={"X-CSRF-Token": csrf_of("sun")}
        )
    assert page.status_code == api.status_code == wrong.status_code == 403
    assert "CSRF" in page.text and "CSRF" in api.json()["detail"]
    assert _counts(settings) == before


def test_a_form_posted_without_javascript_carries_the_token_as_a_field(app):
    content = sample("shenzhen-culture-bureau-2021.txt").read_bytes()
    with TestClient(app) as browser:  # no X-CSRF-Token header, as a plain HTML form posts
        browser.cookies.set(SESSION_COOKIE, session_cookie({"user": "sun", "csrf": csrf_of("sun")}), domain="testserver.local")
        forged = browser.post("/uploads", files={"files": ("a.txt", content, "text/plain")}, data={"csrf_token": "guess"})
        posted = browser.post("/uploads", files={"files": ("a.txt", content, "text/plain")}, data={"csrf_token": csrf_of("sun")})
    assert forged.status_code == 403
    assert posted.status_code == 200 and "新增 3 张" in posted.text


def test_the_login_form_itself_needs_the_token(client):
    client.get("/login")
    response = client.post("/login", data={"username": "tian", "password": PASSWORDS["tian"]})
    assert response.status_code == 403
    assert client.get("/api/session").json()["user"] is None


def test_a_page_sends_its_token_in_forms_and_in_htmx_headers(login, office_form):
    page = login("tian").get(f"/forms/{office_form}").text
    assert f'hx-headers=\'{{"X-CSRF-Token": "{csrf_of("tian")}"}}\'' in page
    assert f'name="csrf_token" value="{csrf_of("tian")}"' in page


# --- upload limits


def test_an_upload_over_the_limit_is_refused_with_413_and_nothing_is_stored(settings):
    small = Settings(database_url=settings.database_url, secret_key=settings.secret_key, max_upload_mb=0.01)  # ~10 KB
    application = create_app(small)
    before = _counts(settings)
    content = sample("luohu-district-office-2022.txt").read_bytes()
    assert len(content) > small.max_upload_bytes
    with TestClient(application) as client:
        client.cookies.set(SESSION_COOKIE, session_cookie({"user": "sun", "csrf": "t"}))
        page = client.post("/uploads", files={"files": ("a.txt", content, "text/plain")}, headers={"X-CSRF-Token": "t"})
        api = client.post("/api/imports", files={"files": ("a.txt", content, "text/plain")}, headers={"X-CSRF-Token": "t"})
    application.state.database.dispose()
    assert page.status_code == api.status_code == 413
    assert "上传内容过大" in page.text
    assert "0.01 MB" in api.json()["detail"]
    assert _counts(settings) == before


def test_a_body_streamed_past_the_limit_without_a_length_is_cut_off(settings):
    small = Settings(database_url=settings.database_url, secret_key=settings.secret_key, max_upload_mb=0.01)
    application = create_app(small)
    before = _counts(settings)
    boundary = "jixiao-test-boundary"
    body = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.txt\"\r\n\r\n".encode()
        + sample("luohu-district-office-2022.txt").read_bytes()
        + f"\r\n--{boundary}--\r\n".encode()
    )

    def chunks():
        for start in range(0, len(body), 4096):
            yield body[start : start + 4096]

    with TestClient(application) as client:
        client.cookies.set(SESSION_COOKIE, session_cookie({"user": "sun", "csrf": "t"}))
        response = client.post(
            "/api/imports", content=chunks(), headers={"X-CSRF-Token": "t", "Content-Type": f"multipart/form-data; boundary={boundary}"}
        )
    application.state.database.dispose()
    assert response.status_code == 413
    assert _counts(settings) == before


def test_a_form_post_other_than_an_upload_is_limited_to_a_megabyte(login, office_form):
    response = login("tian").post(f"/api/forms/{office_form}/comments", content=b"x" * (2 << 20), headers={"Content-Type": "application/json"})
    assert response.status_code == 413


# --- headers


def test_every_page_forbids_framing_and_foreign_scripts(client):
    headers = client.get("/login").headers
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    policy = headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-eval" not in policy and "frame-ancestors 'none'" in policy


def test_the_pages_load_no_script_from_another_site(login, office_form):
    tian = login("tian")
    for path in ("/forms", f"/forms/{office_form}", "/uploads", "/dashboard"):
        page = tian.get(path).text
        assert re.findall(r'<script src="([^"]+)"', page), path
        assert all(source.startswith("/static/") for source in re.findall(r'<script src="([^"]+)"', page)), path
        assert "<script>" not in page


# --- text typed by a unit or a reviewer is shown as text


def test_markup_in_a_cell_or_a_comment_is_shown_as_text(login, office_form):
    tian = login("tian")
    payload = "<script>alert(1)</script>"
    tian.post(f"/api/forms/{office_form}/cells", json={"path": "indicators.0.deviation", "text": payload})
    tian.post(f"/api/forms/{office_form}/comments", json={"body": payload})
    page = tian.get(f"/forms/{office_form}").text
    assert payload not in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 2  # the cell and the comment (and the version's change)
