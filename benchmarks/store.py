"""The store's speed: importing forms, and the form list over a large store.

Import: the samples are replicated into files of distinct projects (codes and names made
unique) and imported twice; the second run finds every form unchanged. "store only" times
the import with each file already read and reviewed, so it shows the database's share.

List: a store of --forms form rows (six years, 60 departments of 30 units) is seeded
directly, then each list query shape runs 25 times; p50 and p95 in milliseconds. The target
is p95 ≤ 100 ms at 100,000 forms on PostgreSQL.

The database must be empty (a fresh SQLite path or PostgreSQL database):

    python benchmarks/store.py --database sqlite:////tmp/bench.db
    python benchmarks/store.py --database postgresql://postgres@127.0.0.1:54329/bench --forms 100000
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert, text

from jixiao import services
from jixiao.domain.workflow import Actor, FormStatus, Role
from jixiao.readers import read_file
from jixiao.storage.database import Database
from jixiao.storage.orm import Organisation, Project, StoredForm
from jixiao.storage.views import FormFilters

ROOT = Path(__file__).resolve().parent.parent
LUOHU_2021 = ROOT / "examples" / "luohu-culture-bureau-2021.txt"
LUOHU_2022 = ROOT / "examples" / "luohu-district-office-2022.txt"
YEARS = range(2019, 2025)
DEPARTMENTS, UNITS_PER_DEPARTMENT = 60, 30
PROJECT_IDS = 1_000_000  # above the imported projects' ids
NAMES = ("干部健康管理", "行政运行", "档案管理事务", "群众文化工作", "信息化维护", "文化体育市场执法", "党建工作", "预算项目")


def replicate(directory: Path, copies: int) -> list[Path]:
    """`copies` pairs of luohu files (30 forms each pair) with their own units, codes and names."""
    text_2022 = LUOHU_2022.read_text(encoding="utf-8")
    text_2021 = LUOHU_2021.read_text(encoding="utf-8")
    paths = []
    for copy in range(copies):
        coded = re.sub(r"(项目编码:\t)(\d+)", lambda m: f"{m.group(1)}{int(m.group(2)) + copy * 100_000}", text_2022)
        named = re.sub(r"(项目名称\t)([^\t]+)", lambda m: f"{m.group(1)}{m.group(2)}-{copy}", text_2021)
        for suffix, content in (("2022", coded), ("2021", named)):
            path = directory / f"unit{copy:04d}-{suffix}.txt"
            path.write_text(content.replace("罗湖区", f"第{copy}区"), encoding="utf-8")
            paths.append(path)
    return paths


def measure_import(database: Database, copies: int) -> None:
    uow = database.unit_of_work()
    system = services.get_actor(uow, "system")
    with tempfile.TemporaryDirectory() as folder:
        paths = replicate(Path(folder), copies)
        started = time.perf_counter()
        forms = sum(len(services.check_forms(read_file(path).forms)) for path in paths)
        reading = time.perf_counter() - started  # what the import spends before the database
        started = time.perf_counter()
        report = services.import_files(paths, uow, user=system)
        first = time.perf_counter() - started
        assert not report.failed, report.failed[0].error
        started = time.perf_counter()
        services.import_files(paths, uow, user=system)
        again = time.perf_counter() - started
    print(f"import {forms} new forms: {forms / first:.0f} forms/s (store only ≈ {forms / (first - reading):.0f}/s)")
    print(f"import them again, all unchanged: {forms / again:.0f} forms/s")


def seed_list(database: Database, forms: int) -> dict[str, Actor]:
    random.seed(7)
    organisations = [{"id": 1000, "name": "财政局", "kind": "bureau", "parent_id": None, "path": "/1000/"}]
    units = []
    for department in range(DEPARTMENTS):
        department_id = 2000 + department
        path = f"/1000/{department_id}/"
        organisations.append({"id": department_id, "name": f"部门{department}", "kind": "department", "parent_id": 1000, "path": path})
        for unit in range(UNITS_PER_DEPARTMENT):
            unit_id = 10_000 + department * 100 + unit
            units.append({"id": unit_id, "name": f"单位{unit_id}", "kind": "unit", "parent_id": department_id, "path": f"{path}{unit_id}/"})
    projects = [
        {"id": number, "key": f"code:{number}", "code": f"4403{number:017d}", "name": f"{random.choice(NAMES)}{number}", "unit_id": random.choice(units)["id"]}
        for number in range(PROJECT_IDS, PROJECT_IDS + forms // len(YEARS))
    ]
    now = datetime.now(UTC)
    rows = []
    for year in YEARS:
        for project in projects:
            total = Decimal(random.randint(4000, 10000)) / 100
            rows.append(
                {
                    "project_id": project["id"],
                    "year": year,
                    "kind": "form",
                    "unit_id": project["unit_id"],
                    "status": random.choice(["draft", "submitted", "submitted", "approved", "returned"]),
                    "version": 1,
                    "project_code": project["code"],
                    "project_name": project["name"],
                    "total_claimed": total,
                    "total_recomputed": total - random.choice([0, 0, 0, 1, 5]),
                    "grade": "优" if total >= 90 else "良" if total >= 80 else "中" if total >= 60 else "差",
                    "error_count": random.choice([0, 0, 0, 1, 2]),
                    "warning_count": random.randint(0, 8),
                    "undetermined_count": random.randint(0, 3),
                    "open_count": random.randint(0, 10),
                    "execution_rate": Decimal(random.randint(300_000, 1_000_000)) / 1_000_000,
                    "budget": Decimal(random.randint(10_000, 10_000_000)),
                    "executed": Decimal(random.randint(10_000, 10_000_000)),
                    "created_at": now,
                    "updated_at": now - timedelta(minutes=random.randint(0, 500_000)),
                }
            )
    with database.engine.begin() as connection:
        connection.execute(insert(Organisation.__table__), organisations + units)
        for table, batch in ((Project.__table__, projects), (StoredForm.__table__, rows)):
            for start in range(0, len(batch), 5000):
                connection.execute(insert(table), batch[start : start + 5000])
        connection.execute(text("ANALYZE"))
    department = organisations[4]
    return {
        "admin": Actor(1, "system", Role.ADMIN),
        "bureau reviewer": Actor(2, "bureau", Role.REVIEWER, 1000, "/1000/"),
        "department reviewer": Actor(3, "department", Role.REVIEWER, department["id"], department["path"]),
        "filler": Actor(4, "filler", Role.FILLER, units[17]["id"], units[17]["path"]),
    }


def measure_list(database: Database, forms: int) -> None:
    actors = seed_list(database, forms)
    cases = {
        "admin · every year · newest first": ("admin", FormFilters()),
        "admin · one year · newest first": ("admin", FormFilters(year=2023)),
        "admin · one year · by recomputed total": ("admin", FormFilters(year=2023, sort="-total")),
        "admin · one year · with errors · by rate": ("admin", FormFilters(year=2023, has_errors=True, sort="rate")),
        "admin · one year · grade 差 · by name": ("admin", FormFilters(year=2023, grade="差", sort="name")),
        "admin · one year · page 100": ("admin", FormFilters(year=2023, page=100)),
        "admin · every year · name search": ("admin", FormFilters(search="档案管理")),
        "admin · one year · name search": ("admin", FormFilters(year=2023, search="档案管理")),
        "admin · one year · one department": ("admin", FormFilters(year=2023, unit_id=2005)),
        "bureau reviewer · one year · by total": ("bureau reviewer", FormFilters(year=2023, sort="-total")),
        "department reviewer · one year": ("department reviewer", FormFilters(year=2023)),
        "department reviewer · submitted · by errors": (
            "department reviewer",
            FormFilters(status=FormStatus.SUBMITTED, sort="-errors"),
        ),
        "filler · every year": ("filler", FormFilters()),
    }
    uow = database.unit_of_work()
    print(f"form list over {forms} forms ({database.engine.dialect.name}):")
    for name, (who, filters) in cases.items():
        times = []
        for _ in range(25):
            started = time.perf_counter()
            page = services.list_forms(uow, actors[who], filters)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        print(f"  {name:46s} {page.total:7d} rows  p50 {statistics.median(times):6.1f} ms  p95 {times[23]:6.1f} ms")
    started = time.perf_counter()
    board = services.dashboard(uow, actors["admin"], 2023)
    print(f"  dashboard of one year ({board.forms} forms): {(time.perf_counter() - started) * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="an empty database: a new SQLite path or PostgreSQL database")
    parser.add_argument("--forms", type=int, default=100_000, help="form rows for the list (default 100,000)")
    parser.add_argument("--copies", type=int, default=20, help="replicas of the luohu files to import (30 forms each)")
    arguments = parser.parse_args()
    database = services.upgrade_store(arguments.database)
    try:
        measure_import(database, arguments.copies)
        measure_list(database, arguments.forms)
    finally:
        database.dispose()


if __name__ == "__main__":
    main()
