"""Forms out as the official form (导出): each checked file's forms, a blank form to fill
(`jixiao template`), a stored form, and the findings of stored forms; as xlsx, docx or pdf."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING

from jixiao import profiles, writers
from jixiao.domain.profiles import Profile
from jixiao.domain.scoring import PROFILE_OF_LAYOUT
from jixiao.domain.workflow import Actor, FindingState, Invalid
from jixiao.readers.grid import ReadError
from jixiao.services.checking import CheckRun, Progress, check_files
from jixiao.services.review_desk import get_form
from jixiao.storage.views import FormDetail
from jixiao.writers.findings import OUTCOME_TEXT, SEVERITY_TEXT, shown

if TYPE_CHECKING:
    from jixiao.storage.unit_of_work import UnitOfWork

EXPORT_FORMATS = writers.FORMATS
TEMPLATE_FORMATS = ("xlsx", "docx")  # a blank form is filled on a computer; a PDF is not
LAYOUTS = writers.LAYOUTS
# Characters no file system of a reviewer (Windows included) accepts in a file name.
_UNSAFE_IN_FILE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
_FILE_NAME_MAX = 60  # characters: CJK takes 3 bytes each of a 255-byte name

# Forms whose findings one export gathers at most: a year of a large department.
EXPORT_FORMS_LIMIT = 1000


@dataclass(frozen=True, slots=True)
class ExportRun:
    """A check run whose forms were each written to a file of their own, with their findings."""

    checked: CheckRun
    written: tuple[Path, ...]
    skipped: tuple[str, ...]  # department summary rows: no official form to write them on

    @property
    def errors(self) -> list[ReadError]:
        return self.checked.errors

    @property
    def exit_code(self) -> int:
        """As `check`: 2 if an input could not be read, else 1 on error findings, else 0."""
        return self.checked.exit_code


def export_files(
    paths: Iterable[str | PathLike[str]],
    to: str,
    out_dir: str | PathLike[str],
    profile: Profile | None = None,
    layout: str | None = None,
    progress: Progress | None = None,
) -> ExportRun:
    """Check every form, then write each one to `out_dir` as `<index>-<project name>.<to>`.

    The form is drawn in its own layout (or `layout`), its findings on a last sheet or page.
    Summary rows are skipped: the official form has no place for them.
    """
    checked = check_files(paths, profile, progress)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    width = len(str(len(checked.reviews)))
    written: list[Path] = []
    skipped: list[str] = []
    for index, item in enumerate(checked.reviews, 1):
        form = item.form
        name = form.project.name or form.project.code or writers.TITLE
        if form.is_summary:
            skipped.append(name)
            continue
        target = out / f"{index:0{width}d}-{safe_file_name(name)}.{to}"
        writers.write_forms(target, to, [writers.form_table(form, layout)], writers.findings_table([item]))
        written.append(target)
        if progress:
            progress("write", index, len(checked.reviews))
    return ExportRun(checked, tuple(written), tuple(skipped))


def write_template(layout: str, to: str, out: str | PathLike[str], profile: Profile | None = None) -> Path:
    """A blank form in `layout` for a unit to fill and send back: the labels, the profile's
    weights per block (the layout's default profile when none is given), empty value cells."""
    chosen = profile or profiles.load(PROFILE_OF_LAYOUT[layout])
    writers.write_forms(out, to, [writers.blank_table(layout, chosen)])
    return Path(out)


def safe_file_name(name: str) -> str:
    """A project name as a file name: separators and reserved characters replaced, length bounded."""
    cleaned = _UNSAFE_IN_FILE_NAME.sub("_", name).strip(" ._")
    return cleaned[:_FILE_NAME_MAX] or "自评表"


def export_form(uow: UnitOfWork, viewer: Actor, form_id: int, to: str, out: str | PathLike[str]) -> Path:
    """The stored form's current version drawn as the official form (xlsx, docx or pdf), its
    findings with the reviewers' decisions on a last sheet or page."""
    detail = get_form(uow, viewer, form_id)
    if detail.form.is_summary:
        raise Invalid("部门汇总表中的一行没有官方自评表样，只能导出审核意见")
    writers.write_forms(out, to, [writers.form_table(detail.form)], _stored_findings([detail]))
    return Path(out)


def export_findings(uow: UnitOfWork, viewer: Actor, form_ids: Sequence[int], to: str, out: str | PathLike[str]) -> Path:
    """The findings of the given forms (those the viewer sees), numbered across them, as the
    审核意见 list alone (xlsx, docx or pdf)."""
    if len(form_ids) > EXPORT_FORMS_LIMIT:
        raise Invalid(f"一次最多导出{EXPORT_FORMS_LIMIT}张表的审核意见，请先筛选")
    details = [get_form(uow, viewer, form_id) for form_id in form_ids]
    writers.write_forms(out, to, [], _stored_findings(details))
    return Path(out)


def _stored_findings(details: Sequence[FormDetail]) -> writers.FindingsTable:
    """The findings table of stored forms: as `writers.findings_table`, the reviewer's decision
    added to the message (a dismissed finding stays listed, with the reason)."""
    rows: list[tuple[str, ...]] = []
    for detail in details:
        project = detail.summary.project_name
        for finding in detail.findings:
            message = finding.message
            if finding.state is FindingState.DISMISSED:
                message += f"（审核人已驳回：{finding.reason}）"
            elif finding.state is FindingState.ACCEPTED:
                message += "（审核人已确认）"
            indicator = ""
            if finding.indicator_index is not None:
                indicator = f"第{finding.indicator_index + 1}项 {finding.indicator_name or ''}".rstrip()
            rows.append(
                (
                    str(len(rows) + 1),
                    project,
                    finding.code,
                    SEVERITY_TEXT[finding.severity],
                    OUTCOME_TEXT[finding.outcome],
                    "" if finding.line is None else str(finding.line),
                    indicator,
                    message,
                    shown(finding.expected),
                    shown(finding.found),
                )
            )
    return writers.FindingsTable(tuple(rows))
