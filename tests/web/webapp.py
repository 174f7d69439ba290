"""The web app over a seeded store, on SQLite and PostgreSQL, and clients logged in as each role.

The store (seeded once per backend, copied per test): 罗湖区财政局 over two departments; the
culture bureau's 22 forms of 2021 imported by the system account (submitted), the district
office's 8 forms of 2022 imported by their own 填报人 (drafts), and the Longgang summary
rows (placed under 未分配 by the import, visible to the admin only).

Logging in costs an argon2 hash check (~0.2 s), so clients get a signed session cookie made
with the test secret, exactly what the app sets after a login; test_security.py logs in
through the page itself.

A test module imports by name the fixtures it uses and those they request, as with
storage_conftest.
"""

from __future__ import annotations

import json
from base64 import b64encode
from collections.abc import Callable, Iterator

import itsdangerous
import pytest
from conftest import sample
from fastapi.testclient import TestClient
from storage_conftest import (  # noqa: F401  (fixtures)
    postgres_databases,
    postgres_template,
    seed_cache,
    seeded_database_url,
    sqlite_template,
)

from jixiao import services
from jixiao.domain.workflow import Role
from jixiao.storage.database import connect
from jixiao.web.app import SESSION_COOKIE, create_app
from jixiao.web.settings import Settings

SECRET = "test-secret-key-for-the-web-app-tests"
BUREAU = "罗湖区财政局"
CULTURE = "深圳市罗湖区文化广电旅游体育局"  # 主管部门 and 实施单位 of the 22 luohu 2021 forms
OFFICE_DEPARTMENT = "罗湖区委办"
OFFICE = "深圳市罗湖区委（政府）办本级"  # 实施单位 of the 8 luohu 2022 forms
PASSWORDS = {"tian": "填报-密码-tian", "sun": "管理-密码-sun"}
USERS = {
    "tian": (Role.FILLER, OFFICE),  # the district office's 填报人
    "wu": (Role.FILLER, CULTURE),  # the culture bureau's 填报人
    "zhao": (Role.REVIEWER, CULTURE),  # reviews the culture bureau only
    "qian": (Role.REVIEWER, BUREAU),  # reviews everything under the Luohu bureau
    "sun": (Role.ADMIN, None),
}


def seed_luohu(url: str) -> None:
    database = connect(url)
    uow = database.unit_of_work()
    system = services.get_actor(uow, "system")
    services.add_organisation(uow, system, BUREAU, "bureau")
    services.add_organisation(uow, system, CULTURE, "department", parent=BUREAU)
    services.add_organisation(uow, system, OFFICE_DEPARTMENT, "department", parent=BUREAU)
    services.add_organisation(uow, system, OFFICE, "unit", parent=OFFICE_DEPARTMENT)
    for username, (role, organisation) in USERS.items():
        services.add_user(uow, system, username, role, organisation=organisation, password=PASSWORDS.get(username))
    tian = services.get_actor(uow, "tian")
    assert services.import_files([sample("luohu-district-office-2022.txt")], uow, user=tian).failed == []
    culture = [sample("luohu-culture-bureau-2021.txt"), sample("longgang-industry-center-2020-summary.txt")]
    assert services.import_files(culture, uow, user=system).failed == []
    database.dispose()


luohu_url = seeded_database_url(seed_luohu)


@pytest.fixture
def settings(luohu_url: str) -> Settings:
    return Settings(database_url=luohu_url, secret_key=SECRET)


@pytest.fixture
def app(settings: Settings) -> Iterator:
    application = create_app(settings)
    yield application
    application.state.database.dispose()


def session_cookie(data: dict[str, str]) -> str:
    """The cookie Starlette's SessionMiddleware sets for this session data."""
    payload = b64encode(json.dumps(data).encode("utf-8"))
    return itsdangerous.TimestampSigner(SECRET).sign(payload).decode("utf-8")


def csrf_of(username: str) -> str:
    return f"csrf-token-of-{username}"


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    """Nobody logged in."""
    with TestClient(app) as anonymous:
        yield anonymous


@pytest.fixture
def login(app) -> Iterator[Callable[[str], TestClient]]:
    """`login("tian")`: a client with tian's session, sending tian's CSRF token on every request."""
    clients: list[TestClient] = []

    def logged_in(username: str) -> TestClient:
        user_client = TestClient(app, headers={"X-CSRF-Token": csrf_of(username)})
        # The domain the cookie jar gives the test server's own cookies, so a response can replace it.
        user_client.cookies.set(SESSION_COOKIE, session_cookie({"user": username, "csrf": csrf_of(username)}), domain="testserver.local")
        user_client.__enter__()
        clients.append(user_client)
        return user_client

    yield logged_in
    for user_client in clients:
        user_client.__exit__(None, None, None)


def form_id(client: TestClient, name: str, year: int | None = None) -> int:
    """The id of the form of that project name (and year) as the client's user lists it."""
    params: dict[str, object] = {"q": name, "page_size": 200}
    if year is not None:
        params["year"] = year
    items = [item for item in client.get("/api/forms", params=params).json()["items"] if item["project_name"] == name]
    assert len(items) == 1, f"{name}: {items}"
    return items[0]["id"]


@pytest.fixture
def office_form(login) -> int:
    """干部健康管理 (2022), the district office's first form: a draft of tian's unit."""
    return form_id(login("sun"), "干部健康管理", 2022)


@pytest.fixture
def culture_form(login) -> int:
    """文化体育市场执法 (2021), a submitted form of the culture bureau."""
    return form_id(login("sun"), "文化体育市场执法", 2021)
