"""Fixtures for tests of the store, on SQLite and on a real PostgreSQL server.

`database_url` is parametrized over both: a fresh, migrated database per test, copied from
a template migrated once per session (a file copy on SQLite, CREATE DATABASE … TEMPLATE on
PostgreSQL). The PostgreSQL half needs `JIXIAO_TEST_POSTGRES_URL` (start a throwaway
server with `.ci/start-postgres.sh`, which prints it); without it those tests are skipped
on a developer's machine and fail under CI.

Import the fixtures a module needs (and those they request by name): `from storage_conftest
import database_url, postgres_databases, postgres_template, sqlite_template, store`.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from jixiao import services
from jixiao.domain.workflow import Actor
from jixiao.storage.database import Database, connect

POSTGRES_VARIABLE = "JIXIAO_TEST_POSTGRES_URL"
BACKENDS = ("sqlite", "postgresql")


def postgres_server_url() -> str:
    """The test server's URL; skips (or fails under CI) when none is configured."""
    url = os.environ.get(POSTGRES_VARIABLE)
    if not url:
        message = f"{POSTGRES_VARIABLE} is not set (start a server with .ci/start-postgres.sh)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return url


class PostgresDatabases:
    """Creates and drops databases on the test server (CREATE DATABASE cannot run in a transaction)."""

    def __init__(self, server_url: str) -> None:
        self.server = make_url(server_url).set(drivername="postgresql+psycopg")
        self.admin = create_engine(self.server, isolation_level="AUTOCOMMIT")

    def create(self, template: str | None = None) -> str:
        name = f"jixiao_test_{uuid.uuid4().hex[:12]}"
        clause = f" TEMPLATE {template}" if template else ""
        with self.admin.connect() as connection:
            connection.execute(text(f"CREATE DATABASE {name}{clause}"))
        return name

    def url(self, name: str) -> str:
        return self.server.set(database=name).render_as_string(hide_password=False)

    def drop(self, name: str) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


@pytest.fixture(scope="session")
def postgres_databases() -> Iterator[PostgresDatabases]:
    databases = PostgresDatabases(postgres_server_url())
    yield databases
    databases.admin.dispose()


@pytest.fixture(scope="session")
def postgres_template(postgres_databases: PostgresDatabases) -> Iterator[str]:
    name = postgres_databases.create()
    database = connect(postgres_databases.url(name))
    database.upgrade()
    database.dispose()  # a template must have no open connections
    yield name
    postgres_databases.drop(name)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "jixiao.db"
    database = connect(f"sqlite:///{path}")
    database.upgrade()
    database.dispose()
    _checkpoint(f"sqlite:///{path}")
    return path


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database at the newest schema revision, on each backend."""
    if request.param == "sqlite":
        path = tmp_path / "jixiao.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    databases: PostgresDatabases = request.getfixturevalue("postgres_databases")
    name = databases.create(template=request.getfixturevalue("postgres_template"))
    yield databases.url(name)
    databases.drop(name)


@pytest.fixture
def postgres_database_url(postgres_databases: PostgresDatabases, postgres_template: str) -> Iterator[str]:
    """A fresh migrated database on PostgreSQL only, for what SQLite has no counterpart of."""
    name = postgres_databases.create(template=postgres_template)
    yield postgres_databases.url(name)
    postgres_databases.drop(name)


@pytest.fixture(params=BACKENDS)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with no schema at all, on each backend (for migration tests)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    databases: PostgresDatabases = request.getfixturevalue("postgres_databases")
    name = databases.create()
    yield databases.url(name)
    databases.drop(name)


class SeedCache:
    """Databases built once per session and backend by a seed function, copied for each test."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.built: dict[tuple[str, str], str] = {}  # (backend, seed) → template file or database
        self.postgres: PostgresDatabases | None = None

    def template(self, request: pytest.FixtureRequest, backend: str, seed: Callable[[str], None]) -> str:
        key = (backend, f"{seed.__module__}.{seed.__qualname__}")
        if key not in self.built:
            if backend == "sqlite":
                path = self.directory / f"{key[1]}.db"
                shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
                seed(f"sqlite:///{path}")
                _checkpoint(f"sqlite:///{path}")
                self.built[key] = str(path)
            else:
                self.postgres = request.getfixturevalue("postgres_databases")
                name = self.postgres.create(template=request.getfixturevalue("postgres_template"))
                seed(self.postgres.url(name))  # the seed must dispose of its engines
                self.built[key] = name
        return self.built[key]

    def drop(self) -> None:
        for (backend, _), name in self.built.items():
            if backend == "postgresql" and self.postgres is not None:
                self.postgres.drop(name)


@pytest.fixture(scope="session")
def seed_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeedCache]:
    cache = SeedCache(tmp_path_factory.mktemp("seeded"))
    yield cache
    cache.drop()


def seeded_database_url(seed: Callable[[str], None]) -> Any:
    """A fixture like `database_url`, holding what `seed(url)` stores: seeded once per session
    and backend, then copied for every test, so tests may change it freely."""

    @pytest.fixture(params=BACKENDS)
    def fixture(request: pytest.FixtureRequest, tmp_path: Path, seed_cache: SeedCache) -> Iterator[str]:
        template = seed_cache.template(request, request.param, seed)
        if request.param == "sqlite":
            path = tmp_path / "jixiao.db"
            shutil.copyfile(template, path)
            yield f"sqlite:///{path}"
            return
        databases: PostgresDatabases = request.getfixturevalue("postgres_databases")
        name = databases.create(template=template)
        yield databases.url(name)
        databases.drop(name)

    return fixture


def _checkpoint(url: str) -> None:
    database = connect(url)
    with database.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the one file we copy
    database.dispose()


@pytest.fixture
def store(database_url: str) -> Iterator[Database]:
    """The store at `database_url`, its engine disposed after the test."""
    database = connect(database_url)
    yield database
    database.dispose()


@pytest.fixture
def system(store: Database) -> Actor:
    """The built-in admin that command-line imports act as."""
    return services.get_actor(store.unit_of_work(), "system")


def imported(store: Database, actor: Actor, *paths: Path) -> None:
    """Import the files as `actor`; every one must go in."""
    report = services.import_files(list(paths), store.unit_of_work(), user=actor)
    assert report.failed == [], report.failed


# --- helpers

SELF_EVALUATION_SAMPLES = (
    "luohu-culture-bureau-2021.txt",  # 22 forms
    "luohu-district-office-2022.txt",  # 8 forms
    "shenzhen-culture-bureau-2021.txt",  # 3 forms
)
TABLES = ("organisations", "users", "projects", "forms", "form_versions", "findings", "comments", "audit_log")


def table_counts(database: Database) -> dict[str, int]:
    """Rows per table, read with plain SQL."""
    with database.engine.connect() as connection:
        return {table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() for table in TABLES}


def scalar(database: Database, sql: str, **parameters: object) -> object:
    with database.engine.connect() as connection:
        return connection.execute(text(sql), parameters).scalar()


def rows(database: Database, sql: str, **parameters: object) -> list[tuple]:
    with database.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql), parameters)]


def edited_copy(source: Path, target: Path, line: int, cell: int, old: str, new: str) -> Path:
    """A copy of a text form file with one cell (0-based) of one line (1-based) changed."""
    lines = source.read_text(encoding="utf-8").split("\n")
    cells = lines[line - 1].split("\t")
    assert cells[cell] == old, f"line {line} of {source.name}: cell {cell} is {cells[cell]!r}, not {old!r}"
    cells[cell] = new
    lines[line - 1] = "\t".join(cells)
    target.write_text("\n".join(lines), encoding="utf-8")
    return target


def lines_of(source: Path, target: Path, first: int, last: int) -> Path:
    """A file with lines first..last (1-based, inclusive) of another: one form cut out."""
    lines = source.read_text(encoding="utf-8").split("\n")
    target.write_text("\n".join(lines[first - 1 : last]), encoding="utf-8")
    return target
