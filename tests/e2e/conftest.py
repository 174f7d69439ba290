"""End-to-end fixtures: the real server (`jixiao serve` in a subprocess, on a free loopback
port) over a fresh store, and headless Chromium driven by Playwright.

The store, prepared through the services as an administrator would:

    深圳市财政局 (bureau)                     ← shenhe, 审核人
    ├── 深圳市文化广电旅游体育局 (department, code 0102017: shenzhen 2021 prints only the code)
    └── 罗湖区财政局 (bureau)
        ├── 深圳市罗湖区文化广电旅游体育局 (department)  ← wenti, 填报人; its 22 forms of 2021, submitted
        └── 罗湖区委办 (department)
            └── 深圳市罗湖区委（政府）办本级 (unit)      ← tianbao, 填报人; its 8 forms of 2022, drafts

The server runs once per module and backend (SQLite always; PostgreSQL when
JIXIAO_TEST_POSTGRES_URL is set, and required under CI), so tests of one module share it:
each test works on forms no other test changes.

Chromium is Debian's (/usr/bin/chromium), never a browser Playwright downloads. Without it, or
without the playwright package, the tests are skipped on a developer's machine and fail under CI.
"""

from __future__ import annotations

import importlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import pytest
from conftest import ROOT, sample
from storage_conftest import postgres_databases, postgres_template, sqlite_template  # noqa: F401  (fixtures)
from tools import require_tool

from jixiao import services
from jixiao.domain.workflow import OrganisationKind, Role
from jixiao.storage.database import connect

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# A screen like a reviewer's laptop; the form page's paper table needs the width.
VIEWPORT = {"width": 1440, "height": 900}
TIMEOUT_MS = 15_000
SCREENSHOTS = ROOT / "docs" / "images" / "screens"
SERVER_START_SECONDS = 30
SECRET = "e2e-secret-key-for-the-browser-tests-0123456789"

CITY_BUREAU = "深圳市财政局"
CITY_CULTURE = "深圳市文化广电旅游体育局"
LUOHU_BUREAU = "罗湖区财政局"
LUOHU_CULTURE = "深圳市罗湖区文化广电旅游体育局"  # 主管部门 and 实施单位 of the 22 luohu 2021 forms
OFFICE_DEPARTMENT = "罗湖区委办"
OFFICE = "深圳市罗湖区委（政府）办本级"  # 实施单位 of the 8 luohu 2022 forms
ORGANISATIONS = (
    (CITY_BUREAU, OrganisationKind.BUREAU, None, None),
    (CITY_CULTURE, OrganisationKind.DEPARTMENT, CITY_BUREAU, "0102017"),
    (LUOHU_BUREAU, OrganisationKind.BUREAU, CITY_BUREAU, None),
    (LUOHU_CULTURE, OrganisationKind.DEPARTMENT, LUOHU_BUREAU, None),
    (OFFICE_DEPARTMENT, OrganisationKind.DEPARTMENT, LUOHU_BUREAU, None),
    (OFFICE, OrganisationKind.UNIT, OFFICE_DEPARTMENT, None),
)


@dataclass(frozen=True, slots=True)
class Login:
    username: str
    password: str
    role: Role
    organisation: str
    display_name: str


TIANBAO = Login("tianbao", "tianbao-口令-2022", Role.FILLER, OFFICE, "区委办填报人")
WENTI = Login("wenti", "wenti-口令-2021", Role.FILLER, LUOHU_CULTURE, "文体局填报人")
SHENHE = Login("shenhe", "shenhe-口令-审核", Role.REVIEWER, CITY_BUREAU, "市财政局审核人")
LOGINS = (TIANBAO, WENTI, SHENHE)


def seed_store(url: str) -> None:
    """Organisations, the three logins and two sample files, stored through the services."""
    database = connect(url)
    try:
        uow = database.unit_of_work()
        system = services.get_actor(uow, "system")
        for name, kind, parent, code in ORGANISATIONS:
            services.add_organisation(uow, system, name, kind, parent=parent, code=code)
        for login in LOGINS:
            services.add_user(
                uow, system, login.username, login.role,
                organisation=login.organisation, password=login.password, display_name=login.display_name,
            )
        # A unit's own upload is a draft it may edit; what the system imports arrives submitted.
        tianbao = services.get_actor(uow, TIANBAO.username)
        for path, actor in ((sample("luohu-district-office-2022.txt"), tianbao), (sample("luohu-culture-bureau-2021.txt"), system)):
            report = services.import_files([path], uow, user=actor)
            assert not report.failed, report.failed[0].error
    finally:
        database.dispose()


@dataclass(frozen=True, slots=True)
class Server:
    """The running app: its address, the backend under it and its store (for the tests' own look-ups)."""

    base_url: str
    backend: str
    database_url: str

    def form_id(self, name: str, year: int) -> int:
        """The id of the form of that project name and year, read from the store by the system account."""
        database = connect(self.database_url)
        try:
            uow = database.unit_of_work()
            page = services.list_forms(uow, services.get_actor(uow, "system"), services.FormFilters(year=year, search=name))
        finally:
            database.dispose()
        matches = [item.id for item in page.items if item.project_name == name]
        assert len(matches) == 1, f"{name} ({year}): {matches}"
        return matches[0]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(server: subprocess.Popen[bytes], base_url: str, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while True:
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=1) as response:
                if response.read() == b"ok":
                    return
        except OSError:
            pass
        if server.poll() is not None:
            pytest.fail(f"the server exited with {server.returncode}:\n{log.read_text(errors='replace')}")
        if time.monotonic() > deadline:
            pytest.fail(f"the server did not answer within {SERVER_START_SECONDS} s:\n{log.read_text(errors='replace')}")
        time.sleep(0.1)


@contextmanager
def fresh_store(request: pytest.FixtureRequest, folder: Path) -> Iterator[str]:
    """The URL of a new, migrated and seeded store on the backend the test is parametrized with."""
    if request.param == "sqlite":
        path = folder / "jixiao.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        seed_store(f"sqlite:///{path}")
        yield f"sqlite:///{path}"
        return
    databases = request.getfixturevalue("postgres_databases")
    name = databases.create(template=request.getfixturevalue("postgres_template"))
    try:
        seed_store(databases.url(name))
        yield databases.url(name)
    finally:
        databases.drop(name)


@contextmanager
def running_server(database_url: str, log: Path) -> Iterator[str]:
    """`jixiao serve --host 127.0.0.1 --port N` in a subprocess; its base URL once it answers."""
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    environment = {**os.environ, "JIXIAO_DATABASE_URL": database_url, "JIXIAO_SECRET_KEY": SECRET}
    command = [sys.executable, "-c", "from jixiao.cli import main; main()", "serve", "--host", "127.0.0.1", "--port", str(port)]
    with log.open("wb") as output:
        process = subprocess.Popen(command, env=environment, stdout=output, stderr=subprocess.STDOUT)
    try:
        _wait_until_up(process, base_url, log)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module", params=("sqlite", "postgresql"))
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The app over a freshly seeded store, for one module and backend."""
    folder = tmp_path_factory.mktemp(f"e2e-{request.param}")
    with fresh_store(request, folder) as url, running_server(url, folder / "server.log") as base_url:
        yield Server(base_url, request.param, url)


def require_playwright() -> ModuleType:
    """`playwright.sync_api`; without the package a test module is skipped locally and fails under CI."""
    try:
        return importlib.import_module("playwright.sync_api")
    except ImportError:
        message = "the playwright package is not installed (pip install -e '.[test]')"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message, allow_module_level=True)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Debian Chromium, one for the whole run."""
    executable = require_tool("chromium")
    with require_playwright().sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser: Browser, server: Server) -> Iterator[Callable[[], Page]]:
    """`new_page()`: a tab in a fresh browser context (its own cookies: one user each) on the server.

    A script error, or anything the Content-Security-Policy blocked, fails the test: the
    pages must work with the app's own scripts alone.
    """
    contexts: list[BrowserContext] = []
    problems: list[str] = []

    def opened() -> Page:
        context = browser.new_context(
            base_url=server.base_url, viewport=VIEWPORT, locale="zh-CN", timezone_id="Asia/Shanghai", accept_downloads=True
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
        page.on("console", lambda message: _note_blocked(problems, page.url, message.type, message.text))
        return page

    yield opened
    for context in contexts:
        context.close()
    assert not problems, "\n".join(problems)


def _note_blocked(problems: list[str], url: str, kind: str, text: str) -> None:
    if kind == "error" and "Content Security Policy" in text:
        problems.append(f"{url}: {text}")


def log_in(page: Page, login: Login) -> None:
    """Log in through the login page, as a person does, and land on the forms list."""
    page.goto("/login")
    page.get_by_test_id("login-username").fill(login.username)
    page.get_by_test_id("login-password").fill(login.password)
    page.get_by_test_id("login-submit").click()
    page.wait_for_url("**/forms")


@pytest.fixture
def logged_in(new_page: Callable[[], Page]) -> Callable[[Login], Page]:
    """`logged_in(TIANBAO)`: a new page with that user logged in."""

    def opened(login: Login) -> Page:
        page = new_page()
        log_in(page, login)
        return page

    return opened


def screenshot(page: Page, server: Server, name: str, *, height: int | None = None) -> None:
    """Save the page as docs/images/screens/<name>.png for the README: the window, or the top
    `height` pixels of the whole page. Taken once, on the SQLite run."""
    if server.backend != "sqlite":
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    clip = None if height is None else {"x": 0, "y": 0, "width": VIEWPORT["width"], "height": height}
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=height is not None, clip=clip, animations="disabled", caret="hide")
