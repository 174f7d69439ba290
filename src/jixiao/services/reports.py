"""Evaluation reports (绩效评价报告; issue "Department summaries and drafted evaluation
reports", part 2).

`jixiao report FILES` is `draft_report` then `write_report`; `jixiao report --db` is
`draft_stored_report`; `jixiao report --check` is `check_report_file`. The web app calls the
same: `report_framework` and `parse_judgement`/`parse_funds` for the evaluator's form,
`draft_stored_report` for a department and year, `ReportDraft.json()` to show it,
`report_images` for its charts and `write_report` for the .docx or PDF. An invalid evaluator
file raises ReportInputError (domain/report_framework.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from importlib import import_module
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING

from jixiao import profiles
from jixiao.checks.reports import ReportReview, review_report
from jixiao.checks.review import Review
from jixiao.domain.model import Form
from jixiao.domain.profiles import Profile
from jixiao.domain.records import form_from_record
from jixiao.domain.report import Assessment, Report, assess
from jixiao.domain.report_framework import Framework, Judgement
from jixiao.domain.report_inputs import FundsFile, ReportInputs, YearFigures, category_from_form
from jixiao.domain.report_narrative import draft
from jixiao.domain.scoring import fiscal_year, round2
from jixiao.domain.workflow import Actor, NotFound
from jixiao.readers.grid import ReadError
from jixiao.readers.report_inputs import judgement_template, read_funds, read_judgement
from jixiao.readers.report_text import read_report as read_report_file
from jixiao.services.accounts import _organisation
from jixiao.services.checking import EXIT_OK, EXIT_UNREADABLE, Progress, check_forms, parse_files
from jixiao.services.summaries import _stored_forms

if TYPE_CHECKING:
    from jixiao.storage.unit_of_work import UnitOfWork

REPORT_FORMATS = ("docx", "pdf")
# The grades a report applies are those of 财预〔2020〕10号 (the sample cites them): national-2020.
REPORT_PROFILE = "national-2020"
HISTORY_YEARS = 4  # earlier years drawn in the year-over-year chart, at most
DEFAULT_SUBJECT = "项目支出"


@dataclass(frozen=True, slots=True)
class ReportDraft:
    """A drafted evaluation report: the report, how each indicator was scored, the report
    checks on the draft itself, the sub-projects' form reviews, and what could not be read."""

    report: Report
    assessment: Assessment
    review: ReportReview
    reviews: tuple[Review, ...] = ()
    errors: tuple[ReadError, ...] = ()
    skipped: tuple[str, ...] = ()  # forms left out: summary rows, later years

    @property
    def exit_code(self) -> int:
        """2 if an input could not be read, else 0: a draft's open points are not errors."""
        return EXIT_UNREADABLE if self.errors else EXIT_OK

    def json(self) -> dict[str, object]:
        """The report as stated, each indicator's status and explanation, and the findings."""
        data = self.report.json()
        data["assessment"] = {
            "total": float(self.assessment.total),
            "complete": self.assessment.complete,
            "grade": self.assessment.grade,
            "indicators": [
                {
                    "name": item.indicator.name,
                    "basis": item.indicator.basis.value,
                    "status": item.status.value,
                    "score": None if item.score is None else float(item.score),
                    "achieved": item.achieved,
                    "explain": item.explain,
                    "deductions": [
                        {"point": d.point.number if d.point else None, "amount": float(d.amount), "reason": d.reason}
                        for d in item.deductions
                    ],
                    "sources": [
                        {"file": part.source.file, "form": part.project, "line": part.line, "name": part.name}
                        for part in item.contributions
                    ],
                }
                for item in self.assessment.results
            ],
        }
        data["findings"] = self.review.json()
        return data


def report_framework() -> Framework:
    """The indicator system a report is scored in (profiles/report-framework.yaml)."""
    return profiles.report_framework()


def parse_judgement(data: object) -> Judgement:
    """An evaluator's judgement given as a mapping (the web form, or a parsed YAML file);
    ReportInputError listing every problem, e.g. a deduction without a reason."""
    return Judgement.from_mapping(data, report_framework())  # type: ignore[arg-type]


def parse_funds(data: object) -> FundsFile:
    """Fund categories given as a mapping (the funds file's shape, docs/reports.md)."""
    return FundsFile.from_mapping(data)


def judgement_file_template() -> str:
    """A judgement file to fill, listing every scoring point of the framework."""
    return judgement_template(report_framework())


def draft_report(
    paths: Iterable[str | PathLike[str]],
    *,
    judgement: Judgement | str | PathLike[str] | None = None,
    funds: FundsFile | str | PathLike[str] | None = None,
    year: int | None = None,
    subject: str | None = None,
    organisation: str | None = None,
    date: str | None = None,
    profile: Profile | None = None,
    progress: Progress | None = None,
) -> ReportDraft:
    """Read the sub-projects' forms and draft the report of `year` (default: the year most
    forms are of); forms of earlier years feed the year-over-year chart.

    `judgement` and `funds` are the evaluator's files (paths) or parsed; ReportInputError when
    one is invalid. Unreadable places of the form files are the draft's `errors`.
    """
    chosen_judgement, chosen_funds = _evaluator_files(judgement, funds)
    parsed = parse_files(paths, progress)
    return draft_report_from_forms(
        parsed.forms,
        judgement=chosen_judgement,
        funds=chosen_funds,
        year=year,
        subject=subject,
        organisation=organisation,
        date=date,
        profile=profile,
        errors=tuple(parsed.errors),
    )


def draft_stored_report(
    uow: UnitOfWork,
    viewer: Actor,
    *,
    year: int,
    department: str | None = None,
    judgement: Judgement | str | PathLike[str] | None = None,
    funds: FundsFile | str | PathLike[str] | None = None,
    subject: str | None = None,
    date: str | None = None,
    profile: Profile | None = None,
) -> ReportDraft:
    """The report of the stored forms of `year` the viewer sees under `department` (a name,
    code or id; default: all they see), current versions; earlier years for the chart."""
    chosen_judgement, chosen_funds = _evaluator_files(judgement, funds)
    dated: list[tuple[Form, int]] = []
    with uow:
        scope = _organisation(uow, department) if department is not None else None
        if scope is not None and not viewer.sees(scope.id, scope.path):
            raise NotFound(f"没有名称、编码或编号为“{department}”的单位")
        for when in range(year - HISTORY_YEARS, year + 1):
            for item in _stored_forms(uow, viewer, when, scope, "form"):
                dated.append((form_from_record(uow.queries.current(item.id)[1]), when))
    if not any(when == year for _, when in dated):
        raise NotFound(f"没有{year}年的自评表" + (f"（{scope.name}）" if scope is not None else ""))
    return draft_report_from_forms(
        [form for form, _ in dated],
        years=[when for _, when in dated],
        judgement=chosen_judgement,
        funds=chosen_funds,
        year=year,
        subject=subject,
        organisation=scope.name if scope is not None else None,
        date=date,
        profile=profile,
    )


def draft_report_from_forms(
    forms: Sequence[Form],
    *,
    years: Sequence[int | None] | None = None,
    judgement: Judgement | None = None,
    funds: FundsFile | None = None,
    year: int | None = None,
    subject: str | None = None,
    organisation: str | None = None,
    date: str | None = None,
    profile: Profile | None = None,
    errors: tuple[ReadError, ...] = (),
) -> ReportDraft:
    """Draft the report from forms already read: review the forms of the year, score the
    framework (domain/report.py), draft the text (domain/report_narrative.py) and run the
    report checks on the draft. `years` gives each form's year when known (the store);
    otherwise `fiscal_year` tells it, and a form of no known year counts as of `year`."""
    chosen = profile or profiles.load(REPORT_PROFILE)
    framework = report_framework()
    whens = list(years) if years is not None else [fiscal_year(form) for form in forms]
    skipped = [_label(form) + "（部门汇总表的行）" for form in forms if form.is_summary]
    dated = [(form, when) for form, when in zip(forms, whens) if not form.is_summary]
    if year is None:
        counted = Counter(when for _, when in dated if when is not None)
        year = max(counted, key=lambda when: (counted[when], when)) if counted else None
    current = [form for form, when in dated if when is None or when == year]
    skipped += [f"{_label(form)}（{when}年）" for form, when in dated if year is not None and when is not None and when > year]
    reviews = tuple(check_forms(current))
    findings = Counter(result.code for item in reviews for result in item.findings)
    inputs = ReportInputs(
        subject=subject or (funds.subject if funds and funds.subject else DEFAULT_SUBJECT),
        categories=funds.categories if funds is not None else tuple(category_from_form(form) for form in current),
        forms=tuple(current),
        organisation=organisation or (funds.organisation if funds else None) or _organisation_of(current),
        year=year,
        date=date or (funds.date if funds else None),
        unit=funds.unit if funds is not None else "万元",
        planned_cost=funds.planned_cost if funds else None,
        actual_cost=funds.actual_cost if funds else None,
        history=_history(dated, year),
        finding_counts=dict(findings),
        forms_with_errors=sum(1 for item in reviews if item.has_errors),
    )
    decided = judgement or Judgement()
    assessment = assess(framework, inputs, decided, chosen)
    report = draft(framework, inputs, assessment, decided, chosen)
    return ReportDraft(report, assessment, review_report(report, chosen), reviews, errors, tuple(skipped))


def report_images(draft_or_report: ReportDraft | Report) -> dict[str, bytes]:
    """The report's charts as PNG bytes by key (execution, composition, findings, history)."""
    from jixiao.writers.charts import report_charts  # matplotlib takes half a second to import

    report = draft_or_report.report if isinstance(draft_or_report, ReportDraft) else draft_or_report
    return report_charts(report)


def write_report(draft_or_report: ReportDraft | Report, to: str, out: str | PathLike[str]) -> Path:
    """Write the report to `out` as docx or pdf, its charts as images and the 附表 at the end."""
    if to not in REPORT_FORMATS:
        raise ValueError(f"unknown format {to!r}: one of {', '.join(REPORT_FORMATS)}")
    report = draft_or_report.report if isinstance(draft_or_report, ReportDraft) else draft_or_report
    drawer = import_module(f"jixiao.writers.report_{to}")
    getattr(drawer, f"write_report_{to}")(out, report, report_images(report))
    return Path(out)


def read_report(path: str | PathLike[str]) -> Report:
    """An evaluation report, as text (like the Longgang 2022 report) or .docx, read into the
    report model; ReadError when it cannot be read or holds no framework table."""
    return read_report_file(path, report_framework())


def check_report_file(path: str | PathLike[str], profile: Profile | None = None) -> ReportReview:
    """Read a report and run the report checks (report.weights, report.total, report.formula,
    grade.mismatch) on it; ReadError when it cannot be read."""
    return review_report(read_report(path), profile or profiles.load(REPORT_PROFILE))


def _evaluator_files(
    judgement: Judgement | str | PathLike[str] | None, funds: FundsFile | str | PathLike[str] | None
) -> tuple[Judgement | None, FundsFile | None]:
    """The judgement and funds, read when given as paths (ReportInputError, ReadError)."""
    if isinstance(judgement, (str, PathLike)):
        judgement = read_judgement(judgement, report_framework())
    if isinstance(funds, (str, PathLike)):
        funds = read_funds(funds)
    return judgement, funds


def _label(form: Form) -> str:
    return form.project.name or form.project.code or form.source.file


def _organisation_of(forms: Sequence[Form]) -> str | None:
    """The department most forms name: 主管部门, else 一级预算单位, else 实施单位."""
    names = Counter(
        name
        for form in forms
        if (name := form.project.department or form.project.budget_unit or form.project.implementing_unit)
    )
    return names.most_common(1)[0][0] if names else None


def _history(dated: Sequence[tuple[Form, int | None]], year: int | None) -> tuple[YearFigures, ...]:
    """Budget, spending, form count and mean printed total per year up to `year`; nothing
    when only one year is known (no year-over-year to draw)."""
    if year is None:
        return ()
    by_year: dict[int, list[Form]] = {}
    for form, when in dated:
        when = year if when is None else when
        if year - HISTORY_YEARS <= when <= year:
            by_year.setdefault(when, []).append(form)
    if len(by_year) < 2:
        return ()
    figures = []
    for when, forms in sorted(by_year.items()):
        budget = sum((form.funds.total.adjusted.value or 0 for form in forms), Decimal(0))
        spent = sum((form.funds.total.executed.value or 0 for form in forms), Decimal(0))
        totals = [form.total.score.value for form in forms if form.total.score.value is not None]
        mean = round2(sum(totals, Decimal(0)) / len(totals)) if totals else None
        figures.append(YearFigures(when, budget, spent, len(forms), mean))
    return tuple(figures)
