"""The web app's speed over a large store: the forms list, a form page and the dashboard under
concurrent logged-in clients on loopback.

Seeding (skipped when the store already holds this benchmark's forms): the sample forms are
imported through the services, then cloned into --forms stored forms, each with its own
project (name and code), unit (60 departments of 30 units), year (2019–2024), status and
update time; every clone carries its template's record, evaluation and findings, so any of
them opens as a real form page. The rows go in through SQLAlchemy Core in batches of 2,000
forms; the JSON is serialised once per template, and each clone only substitutes its name,
code and year.

Measuring: `jixiao serve` (one process, as shipped; --workers N runs uvicorn with N worker
processes instead) on a free 127.0.0.1 port. --clients asyncio clients (httpx2) share one
login of a reviewer at the bureau over all units, so every page reads the scope of all the
forms. Each page is measured in its own phase of --requests requests (at most --seconds),
after a short warm-up. The phases run once per --think value: the mean pause of a client
between requests. With pauses (default 1 s) the clients are people clicking through the
desk; with 0 they send the next request as soon as the last one is answered, which measures
throughput: p95 then grows with the queue (about clients × the time one request takes).
p50/p95 in milliseconds and the requests per second are printed per page. Targets (p95):
list and form page ≤ 100 ms, dashboard ≤ 300 ms. The dashboards asked for are a year's, or
a year's for one department (a reviewer drilling down), so most of them are not yet kept
when first asked; "dashboard data" is /api/dashboard, the same numbers as JSON.

    export JIXIAO_TEST_POSTGRES_URL=$(.ci/start-postgres.sh)
    psql "postgresql://postgres@127.0.0.1:54329/postgres" -c 'CREATE DATABASE bench_web'
    python benchmarks/web.py --database postgresql://postgres@127.0.0.1:54329/bench_web
    python benchmarks/web.py --database sqlite:////tmp/bench-web.db --forms 20000
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import count
from pathlib import Path
from typing import Any

import httpx2
from sqlalchemy import Engine, create_engine, func, insert, select, text

from jixiao import services
from jixiao.domain.workflow import OrganisationKind, Role
from jixiao.storage.database import Database, database_url
from jixiao.storage.orm import Finding, FormVersion, Organisation, Project, StoredForm, User
from jixiao.storage.repository import SUMMARY_COLUMNS

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ("luohu-culture-bureau-2021.txt", "luohu-district-office-2022.txt", "shenzhen-culture-bureau-2021.txt")
BUREAU = "基准测试财政局"
REVIEWER, PASSWORD = "bench-reviewer", "bench-reviewer-password"
DEPARTMENTS, UNITS_PER_DEPARTMENT = 60, 30
YEARS = range(2019, 2025)
STATUSES = ("draft", "submitted", "submitted", "submitted", "approved", "returned")
BATCH = 2_000
FIRST_ID = 1_000_000  # ids of the cloned rows, above anything the import created
NAMES = ("干部健康管理", "行政运行", "档案管理事务", "群众文化工作", "信息化维护", "文化体育市场执法", "党建工作", "预算项目")
# Sentinels in a template's serialised record, replaced per clone (JSON-safe: no quotes or escapes).
NAME, CODE, YEAR = "@@name@@", "@@code@@", '"@@year@@"'
SERVER_START_SECONDS = 60
TARGETS_MS = {"forms list": 100, "form page": 100, "dashboard page": 300, "dashboard data": 300}


class Serialised(str):
    """JSON text already serialised: the seeding engine stores it as it is."""


def _serialise(value: Any) -> str:
    return value if isinstance(value, Serialised) else json.dumps(value, ensure_ascii=False)


# --- seeding


@dataclass(frozen=True, slots=True)
class Template:
    """A stored sample form, ready to clone: its columns, its record with sentinels, its findings."""

    summary: dict[str, Any]
    record: str
    evaluation: Serialised
    profile: str
    findings: list[dict[str, Any]]


def seed(database: Database, forms: int) -> None:
    started = time.perf_counter()
    engine = create_engine(database.url, json_serializer=_serialise)
    try:
        units = _organisations(engine)
        uow = database.unit_of_work()
        system = services.get_actor(uow, "system")
        services.add_user(uow, system, REVIEWER, Role.REVIEWER, organisation=BUREAU, password=PASSWORD)
        report = services.import_files([ROOT / "examples" / name for name in SAMPLES], uow, user=system)
        assert not report.failed, report.failed[0].error
        templates = _templates(engine)
        creator = services.get_actor(uow, REVIEWER).id
        _clone(engine, templates, units, forms - sum(len(item.forms) for item in report.files), creator)
    finally:
        engine.dispose()
    print(f"seeded {forms:,} forms in {time.perf_counter() - started:.0f} s")


def _organisations(engine: Engine) -> list[dict[str, Any]]:
    """The bureau, its departments and their units, with ids above the system's own rows."""
    def organisation(id: int, name: str, kind: OrganisationKind, parent: dict[str, Any] | None) -> dict[str, Any]:
        path = f"{parent['path'] if parent else '/'}{id}/"
        return {"id": id, "name": name, "kind": kind.value, "parent_id": parent and parent["id"], "path": path}

    bureau = organisation(FIRST_ID, BUREAU, OrganisationKind.BUREAU, None)
    rows, units = [bureau], []
    for number in range(DEPARTMENTS):
        department = organisation(FIRST_ID + 1 + number, f"基准部门{number:02d}", OrganisationKind.DEPARTMENT, bureau)
        rows.append(department)
        units.extend(
            organisation(FIRST_ID + 1000 + number * 100 + unit, f"基准部门{number:02d}第{unit:02d}单位", OrganisationKind.UNIT, department)
            for unit in range(UNITS_PER_DEPARTMENT)
        )
    with engine.begin() as connection:
        connection.execute(insert(Organisation.__table__), rows + units)
    return units


def _templates(engine: Engine) -> list[Template]:
    forms, versions = StoredForm.__table__, FormVersion.__table__
    query = (
        select(forms, versions.c.id.label("version_id"), versions.c.record, versions.c.evaluation, versions.c.profile)
        .join(versions, (versions.c.form_id == forms.c.id) & (versions.c.number == forms.c.version))
        .where(forms.c.kind == "form")
        .order_by(forms.c.id)
    )
    with engine.connect() as connection:
        rows = connection.execute(query).mappings().all()
        findings = connection.execute(select(Finding.__table__).order_by(Finding.__table__.c.id)).mappings().all()
    by_version: dict[int, list[dict[str, Any]]] = {}
    for finding in findings:
        values = {key: value for key, value in finding.items() if key not in ("id", "version_id")}
        for key in ("expected", "found", "cells"):
            values[key] = Serialised(_serialise(values[key]))
        by_version.setdefault(finding["version_id"], []).append(values)
    templates = []
    for row in rows:
        record = row["record"]
        project = record["project"]
        # Only what the form prints: the 2021 layouts have no 项目编码 and no 绩效自评年度.
        project.update(name=NAME, code=project["code"] and CODE, year=project["year"] and YEAR.strip('"'))
        summary = {name: row[name] for name in SUMMARY_COLUMNS if name != "project_name"}
        evaluation = Serialised(_serialise(row["evaluation"]))
        templates.append(Template(summary, _serialise(record), evaluation, row["profile"], by_version.get(row["version_id"], [])))
    return templates


def _clone(engine: Engine, templates: list[Template], units: list[dict[str, Any]], forms: int, creator: int) -> None:
    random.seed(7)
    now = datetime.now(UTC)
    finding_ids = count(FIRST_ID)
    per_year = -(-forms // len(YEARS))  # a project has a form in each year
    done = 0
    for start in range(0, forms, BATCH):
        projects, form_rows, versions, findings = [], [], [], []
        for number in range(start, min(start + BATCH, forms)):
            template = templates[number % len(templates)]
            project_number, year = number % per_year, YEARS[number // per_year]
            project_id = FIRST_ID + project_number
            unit = units[project_number % len(units)]
            name = f"{NAMES[project_number % len(NAMES)]}{project_number:05d}"
            code = f"4403{project_number:017d}"
            if year == YEARS[0]:
                projects.append({"id": project_id, "key": f"code:{code}", "code": code, "name": name, "unit_id": unit["id"]})
            record = template.record.replace(NAME, name).replace(CODE, code).replace(YEAR, str(year))
            form_id = FIRST_ID + number
            updated = now - timedelta(minutes=random.randint(0, 500_000))
            summary = {**template.summary, "project_name": name}
            form_rows.append(
                {
                    "id": form_id, "project_id": project_id, "year": year, "kind": "form", "unit_id": unit["id"],
                    "status": random.choice(STATUSES), "version": 1, "project_code": code,
                    "created_at": updated, "updated_at": updated, **summary,
                }
            )
            versions.append(
                {
                    "id": form_id, "form_id": form_id, "number": 1, "content_hash": hashlib.sha256(record.encode()).hexdigest(),
                    "origin": "import", "source_file": f"bench/{unit['name']}-{year}.txt", "source_index": number,
                    "profile": template.profile, "record": Serialised(record), "evaluation": template.evaluation,
                    "changes": Serialised("[]"), "created_by": creator, "created_at": updated, **summary,
                }
            )
            findings.extend({**finding, "id": next(finding_ids), "version_id": form_id} for finding in template.findings)
        with engine.begin() as connection:
            for table, rows in ((Project, projects), (StoredForm, form_rows), (FormVersion, versions), (Finding, findings)):
                if rows:
                    connection.execute(insert(table.__table__), rows)
        done += len(form_rows)
        print(f"\r  cloned {done:,} of {forms:,} forms", end="", flush=True)
    print()
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            # The clones carry explicit ids: move the sequences past them for the app's own inserts.
            for table in ("organisations", "projects", "forms", "form_versions", "findings"):
                connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
        connection.execute(text("ANALYZE"))


def seeded(database: Database) -> int | None:
    """How many forms the store holds when it was seeded by this benchmark; None when it is empty."""
    with database.engine.connect() as connection:
        reviewer = connection.scalar(select(User.id).where(User.username == REVIEWER))
        forms = connection.scalar(select(func.count()).select_from(StoredForm))
    if reviewer is None and not forms:
        return None
    if reviewer is None:
        raise SystemExit("the database holds forms but was not seeded by this benchmark: give an empty one")
    return forms


# --- measuring


@dataclass(frozen=True, slots=True)
class Phase:
    name: str
    urls: Callable[[random.Random], str]


def phases(form_ids: list[int], departments: list[int]) -> list[Phase]:
    lists = (
        "/forms", "/forms?year=2023", "/forms?year=2023&sort=-total", "/forms?year=2022&errors=yes&sort=rate",
        "/forms?year=2023&grade=%E8%89%AF&sort=name", "/forms?year=2023&page=40", "/forms?q=%E6%A1%A3%E6%A1%88%E7%AE%A1%E7%90%86&year=2024",
        "/forms?status=returned&sort=-errors",
    )

    def dashboard(chance: random.Random) -> str:
        year = chance.choice(YEARS)
        return f"?year={year}&unit={chance.choice(departments)}" if chance.random() < 0.5 else f"?year={year}"

    return [
        Phase("forms list", lambda chance: chance.choice(lists)),
        Phase("form page", lambda chance: f"/forms/{chance.choice(form_ids)}"),
        Phase("dashboard page", lambda chance: "/dashboard" + dashboard(chance)),
        Phase("dashboard data", lambda chance: "/api/dashboard" + dashboard(chance).replace("unit=", "unit_id=")),
    ]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serve(url: str, log: Path, workers: int) -> Iterator[str]:
    """`jixiao serve` (or uvicorn with several worker processes) on a free loopback port;
    yields its base URL, stops it afterwards."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    # Every worker must sign sessions with the same key.
    environment = {**os.environ, "JIXIAO_DATABASE_URL": url, "JIXIAO_SECRET_KEY": "benchmark-secret-key-0123456789abcdef"}
    address = ["--host", "127.0.0.1", "--port", str(port)]
    if workers == 1:
        command = [sys.executable, "-c", "from jixiao.cli import main; main()", "serve", *address]
    else:
        command = [sys.executable, "-m", "uvicorn", "--factory", "jixiao.web.app:create_app", "--workers", str(workers), "--log-level", "warning", *address]
    with log.open("wb") as output:
        server = subprocess.Popen(command, env=environment, stdout=output, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=1):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"the server did not start:\n{log.read_text(errors='replace')}") from None
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@dataclass
class Measured:
    times: list[float]  # ms, of the answered requests
    failures: list[str]  # a status other than 200, or a dropped connection


async def measure(base: str, phase: Phase, *, clients: int, requests: int, seconds: float, think: float) -> Measured:
    """`requests` requests (or as many as `seconds` allow) by `clients` at once."""
    limits = httpx2.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx2.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        csrf = (await client.get("/api/session")).json()["csrf_token"]  # logging in is a change, too
        response = await client.post("/api/session", json={"username": REVIEWER, "password": PASSWORD}, headers={"X-CSRF-Token": csrf})
        response.raise_for_status()
        sent, measured = count(), Measured([], [])
        deadline = time.monotonic() + seconds

        async def one_client(number: int) -> None:
            chance = random.Random(number)
            while next(sent) < requests and time.monotonic() < deadline:
                url = phase.urls(chance)
                started = time.perf_counter()
                try:
                    answer = await client.get(url)
                except httpx2.TransportError as error:
                    measured.failures.append(f"{url}: {type(error).__name__}")
                    continue
                measured.times.append((time.perf_counter() - started) * 1000)
                if answer.status_code != 200:
                    measured.failures.append(f"{url}: {answer.status_code}")
                if think:
                    await asyncio.sleep(chance.uniform(0.5, 1.5) * think)

        await asyncio.gather(*(one_client(number) for number in range(clients)))
    return measured


def report(name: str, measured: Measured, elapsed: float) -> None:
    times = sorted(measured.times)
    if not times:
        raise SystemExit(f"{name}: every request failed, e.g. {measured.failures[0]}")
    p95 = times[max(0, round(len(times) * 0.95) - 1)]
    verdict = "meets" if p95 <= TARGETS_MS[name] else "misses"
    print(
        f"  {name:15s} {len(times):5d} requests  {len(times) / elapsed:6.1f}/s  p50 {statistics.median(times):7.1f} ms"
        f"  p95 {p95:7.1f} ms  ({verdict} the {TARGETS_MS[name]} ms target)"
    )
    if measured.failures:
        print(f"  {'':15s} {len(measured.failures)} failed, e.g. {measured.failures[0]}")


def run(database: Database, arguments: argparse.Namespace) -> None:
    with database.engine.connect() as connection:
        total = connection.scalar(select(func.count()).select_from(StoredForm))
        # The clones: the imported samples lie outside the bureau, where its reviewer cannot see them.
        form_ids = list(connection.scalars(select(StoredForm.id).where(StoredForm.id >= FIRST_ID)))
        departments = list(
            connection.scalars(
                select(Organisation.id).where(Organisation.id >= FIRST_ID, Organisation.kind == OrganisationKind.DEPARTMENT.value)
            )
        )
    with tempfile.TemporaryDirectory() as folder, serve(database.url, Path(folder) / "server.log", arguments.workers) as base:
        server = "jixiao serve" if arguments.workers == 1 else f"uvicorn, {arguments.workers} workers"
        for think in arguments.think:
            mode = f"about {think:g} s between a client's requests" if think else "no pause between a client's requests"
            print(f"{arguments.clients} clients ({mode}) on {base} ({server}), {total:,} forms ({database.engine.dialect.name}):")
            for phase in phases(form_ids, departments):
                # Warm-up: connections opened, templates compiled, the pages' rows in the cache.
                asyncio.run(measure(base, phase, clients=arguments.clients, requests=arguments.clients * 2, seconds=10, think=0))
                started = time.perf_counter()
                measured = asyncio.run(
                    measure(base, phase, clients=arguments.clients, requests=arguments.requests, seconds=arguments.seconds, think=think)
                )
                report(phase.name, measured, time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="an empty database (or one this benchmark seeded before)")
    parser.add_argument("--forms", type=int, default=100_000, help="stored forms (default 100,000)")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (default 20)")
    parser.add_argument("--requests", type=int, default=600, help="requests per page (default 600)")
    parser.add_argument("--seconds", type=float, default=60, help="longest measurement per page (default 60 s)")
    parser.add_argument("--workers", type=int, default=1, help="server processes (default 1: `jixiao serve` as shipped)")
    parser.add_argument(
        "--think", type=float, nargs="+", default=[1.0, 0.0], help="mean pauses of a client between requests, in seconds, one run each (default 1 0)"
    )
    arguments = parser.parse_args()
    database = services.upgrade_store(database_url(arguments.database))
    try:
        stored = seeded(database)
        if stored is None:
            seed(database, arguments.forms)
        else:
            print(f"using the {stored:,} forms seeded before")
        run(database, arguments)
    finally:
        database.dispose()


if __name__ == "__main__":
    main()
