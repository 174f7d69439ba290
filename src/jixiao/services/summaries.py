"""Department summaries (部门预算项目绩效自评汇总表; issue "Department summaries and drafted
evaluation reports", part 1).

`jixiao summary` is `summarise_files` or `summarise_stored`, then `export_summary`; the web
app calls the same two and shows `SummaryRun.table.json()` and `SummaryRun.charts.json()`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from importlib import import_module
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING

from jixiao import profiles
from jixiao.checks.review import Review, review
from jixiao.domain.model import Form
from jixiao.domain.profiles import Profile
from jixiao.domain.records import form_from_record
from jixiao.domain.scoring import PROFILE_OF_LAYOUT, infer_profile_name
from jixiao.domain.summary import AmountUnit, SummaryTable, shown_rate, summary_table
from jixiao.domain.workflow import Actor, Invalid, NotFound
from jixiao.readers.grid import ReadError
from jixiao.services.accounts import _organisation
from jixiao.services.checking import EXIT_FINDINGS, EXIT_OK, EXIT_UNREADABLE, Progress, parse_files
from jixiao.services.exporting import EXPORT_FORMS_LIMIT
from jixiao.storage.views import FormFilters, OrganisationView
from jixiao.writers.summary_table import SummaryCharts, summary_charts, summary_export

if TYPE_CHECKING:
    from jixiao.storage.unit_of_work import UnitOfWork

SUMMARY_FORMATS = ("xlsx", "docx")
SUMMARY_UNITS = tuple(unit.value for unit in AmountUnit)


@dataclass(frozen=True, slots=True)
class SummaryRun:
    """A drafted department summary table, the scope-S review of each of its rows (checks.md),
    and the inputs that could not be read."""

    table: SummaryTable
    reviews: tuple[Review, ...]
    errors: tuple[ReadError, ...] = ()

    @property
    def charts(self) -> SummaryCharts:
        return summary_charts(self.table, self.reviews)

    @property
    def exit_code(self) -> int:
        """As `check`: 2 if an input could not be read, else 1 on error findings, else 0."""
        if self.errors:
            return EXIT_UNREADABLE
        return EXIT_FINDINGS if any(item.has_errors for item in self.reviews) else EXIT_OK

    def json(self) -> dict[str, object]:
        """The table (amounts in 元, rates as fractions, each row's source lines) with each
        row's findings, and the charts' data."""
        data = self.table.json()
        for row, item in zip(data["rows"], self.reviews, strict=True):
            findings = item.json()
            for finding in findings:
                # `indicator` counts the row's checked indicators; the column and name say which.
                if finding["indicator"] is not None:
                    indicator = item.form.indicators[finding["indicator"]]
                    finding["column"] = indicator.level2_text or indicator.level1_text
                    finding["name"] = indicator.name
            row["findings"] = findings
        data["charts"] = self.charts.json()
        return data


def summarise(
    forms: Sequence[Form],
    *,
    department: str | None = None,
    year: int | None = None,
    unit: str = AmountUnit.WAN.value,
    profile: Profile | None = None,
    unit_names: Sequence[str | None] | None = None,
) -> SummaryRun:
    """The department summary table of `forms` (one row per form, in their order), reviewed.

    `department` and `year` make the title; by default what most forms print. The profile
    (default national-2020) gives the low-execution threshold a row's problems mention, and
    scores the review of each row; domain/summary.py tells how each column is filled.
    """
    threshold = (profile or profiles.load(PROFILE_OF_LAYOUT["summary"])).low_execution
    table = summary_table(
        forms, department=department, year=year, unit=unit, low_execution=threshold, unit_names=unit_names
    )
    return SummaryRun(table, review_summary(table, profile))


def review_summary(table: SummaryTable, profile: Profile | None = None) -> tuple[Review, ...]:
    """The scope-S checks (checks.md: F S codes) on each row of a summary table."""
    forms = [row.as_form() for row in table.rows]
    shipped = profiles.load_all()
    candidates = tuple(shipped.values())
    return tuple(
        review(form, profile or shipped[infer_profile_name(form)], batch=forms, profiles=candidates) for form in forms
    )


def summarise_files(
    paths: Iterable[str | PathLike[str]],
    *,
    department: str | None = None,
    year: int | None = None,
    unit: str = AmountUnit.WAN.value,
    profile: Profile | None = None,
    progress: Progress | None = None,
) -> SummaryRun:
    """Read the files and summarise every form in them, in file order (a summary table read
    from a file is carried over row by row); unreadable places are the run's errors."""
    parsed = parse_files(paths, progress)
    run = summarise(parsed.forms, department=department, year=year, unit=unit, profile=profile)
    return SummaryRun(run.table, run.reviews, tuple(parsed.errors))


def summarise_stored(
    uow: UnitOfWork,
    viewer: Actor,
    *,
    year: int,
    department: str | None = None,
    unit: str = AmountUnit.WAN.value,
    profile: Profile | None = None,
) -> SummaryRun:
    """The summary of the stored forms of `year` the viewer sees, under `department` (a name,
    code or id; default: all they see), by unit and then in import order.

    The current version of each self-evaluation form is used, and its row names the unit the
    form is stored under. Where the store holds no form of that year, only summary rows (an
    imported 汇总表), those are carried over.
    """
    with uow:
        scope = None
        if department is not None:
            scope = _organisation(uow, department)
            if not viewer.sees(scope.id, scope.path):
                raise NotFound(f"没有名称、编码或编号为“{department}”的单位")
        items = _stored_forms(uow, viewer, year, scope, "form") or _stored_forms(uow, viewer, year, scope, "summary")
        forms = [form_from_record(uow.queries.current(item.id)[1]) for item in items]
    return summarise(
        forms,
        department=scope.name if scope is not None else None,
        year=year,
        unit=unit,
        profile=profile,
        unit_names=[item.unit_name for item in items],
    )


def _stored_forms(uow: UnitOfWork, viewer: Actor, year: int, scope: OrganisationView | None, kind: str) -> list:
    filters = FormFilters(year=year, unit_id=scope.id if scope else None, kind=kind, sort="unit", page_size=200)
    first = uow.queries.list(viewer, filters)
    if first.total > EXPORT_FORMS_LIMIT:
        raise Invalid(f"一张汇总表最多汇总{EXPORT_FORMS_LIMIT}张表（{year}年有{first.total}张），请指定部门")
    items = list(first.items)
    page = 1
    while len(items) < first.total:
        page += 1
        more = uow.queries.list(viewer, replace(filters, page=page)).items
        if not more:
            break
        items.extend(more)
    return items


def export_summary(run: SummaryRun, to: str, out: str | PathLike[str]) -> Path:
    """Write the summary table to `out` as xlsx (with sheets 审核意见, 数据来源 and 图表) or
    docx (the findings and sources as paragraphs after the table)."""
    if to not in SUMMARY_FORMATS:
        raise ValueError(f"unknown format {to!r}: one of {', '.join(SUMMARY_FORMATS)}")
    # Imported when used, as `writers.write_forms` does: openpyxl and python-docx are slow to import.
    drawer = import_module(f"jixiao.writers.summary_{to}")
    getattr(drawer, f"write_{to}")(out, summary_export(run.table, run.reviews))
    return Path(out)


# --- execution year over year (for the web dashboard's chart)


@dataclass(frozen=True, slots=True)
class ExecutionTrend:
    """预算支出执行率 (%) of a department's projects over consecutive years, for a
    year-over-year chart; None where a project has no form in a year."""

    years: tuple[int, ...]
    projects: tuple[tuple[str, tuple[Decimal | None, ...]], ...]  # project name, a rate per year

    def json(self) -> dict[str, object]:
        return {
            "years": list(self.years),
            "projects": [
                {"project": name, "rates": [None if rate is None else float(rate) for rate in rates]}
                for name, rates in self.projects
            ],
        }


def summary_trend(
    uow: UnitOfWork, viewer: Actor, *, year: int, department: str | None = None, years: int = 3
) -> ExecutionTrend:
    """The execution rates of the stored forms of `year` and the `years - 1` years before it
    that the viewer sees, under `department`; a project is followed by its code (or its unit
    and name, as the store identifies it). Projects of `year` come first, in table order."""
    span = tuple(range(year - years + 1, year + 1))
    with uow:
        scope = None
        if department is not None:
            scope = _organisation(uow, department)
            if not viewer.sees(scope.id, scope.path):
                raise NotFound(f"没有名称、编码或编号为“{department}”的单位")
        rates: dict[tuple[object, ...], dict[int, Decimal | None]] = {}
        names: dict[tuple[object, ...], str] = {}
        for each in reversed(span):
            for item in _stored_forms(uow, viewer, each, scope, "form"):
                key = (item.project_code,) if item.project_code else (item.unit_id, item.project_name)
                names.setdefault(key, item.project_name)
                rates.setdefault(key, {})[each] = shown_rate(item.execution_rate)
    return ExecutionTrend(span, tuple((names[key], tuple(by_year.get(each) for each in span)) for key, by_year in rates.items()))
