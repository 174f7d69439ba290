"""The store (数据库): opening and upgrading it, and importing files into it (issue "Store and
web app"); SQLAlchemy itself is only imported by `open_store`."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from os import PathLike
from typing import TYPE_CHECKING

from jixiao.checks.review import Review
from jixiao.domain.profiles import Profile
from jixiao.domain.records import Change, content_hash, diff_forms, form_from_record, form_to_record
from jixiao.domain.workflow import Actor, Conflict, Forbidden, Invalid, StoreError, initial_status, may_edit
from jixiao.readers import read_file
from jixiao.readers.grid import ReadError
from jixiao.services.accounts import _organisation
from jixiao.services.checking import EXIT_OK, EXIT_UNREADABLE, Progress, check_forms
from jixiao.storage.placement import FormPlacer
from jixiao.storage.views import NewFinding, NewVersion, OrganisationView, carry_over, project_label

if TYPE_CHECKING:
    from jixiao.storage.database import Database
    from jixiao.storage.unit_of_work import UnitOfWork


def open_store(url: str | None = None, *, require_current: bool = True) -> Database:
    """The store at `url`, JIXIAO_DATABASE_URL or ./jixiao.db (storage/database.py).

    StoreError when the schema is missing or behind, naming the command that fixes it.
    """
    # Imported here, not at the top: SQLAlchemy and Alembic take ~0.25 s to import, which
    # `jixiao check` and `parse` must not pay.
    from jixiao.storage.database import connect

    database = connect(url)
    try:
        current = database.is_current() if require_current else True
    except database.errors as error:
        database.dispose()
        raise StoreError(f"无法连接数据库 {database.display_url}（{str(error).splitlines()[0]}）") from None
    if not current:
        database.dispose()
        raise StoreError(f"数据库结构不是最新的，请先运行 jixiao db upgrade（{database.display_url}）")
    return database


def upgrade_store(url: str | None = None) -> Database:
    """Create the store's schema or bring it to the newest revision."""
    database = open_store(url, require_current=False)
    try:
        database.upgrade()
    except database.errors as error:
        database.dispose()
        raise StoreError(f"无法升级数据库 {database.display_url}（{str(error).splitlines()[0]}）") from None
    return database


# --- import


class ImportOutcome(StrEnum):
    NEW = "new"  # 新增：the first version of a form
    VERSION = "version"  # 新版本：the form changed since its current version
    UNCHANGED = "unchanged"  # 未变：the same content again; nothing was written


@dataclass(frozen=True, slots=True)
class SavedVersion:
    """What an import or an edit did to one form."""

    form_id: int
    project_name: str
    year: int
    version: int
    outcome: ImportOutcome
    changes: tuple[Change, ...] = ()


@dataclass(frozen=True, slots=True)
class FileImport:
    """One file of an import: its forms, or why none of them was stored."""

    path: str
    forms: tuple[SavedVersion, ...] = ()
    error: str | None = None


@dataclass(frozen=True, slots=True)
class ImportReport:
    files: tuple[FileImport, ...]

    def count(self, outcome: ImportOutcome) -> int:
        return sum(1 for item in self.files for saved in item.forms if saved.outcome is outcome)

    @property
    def failed(self) -> list[FileImport]:
        return [item for item in self.files if item.error is not None]

    @property
    def exit_code(self) -> int:
        """2 if a file could not be imported (the others were), else 0."""
        return EXIT_UNREADABLE if self.failed else EXIT_OK


def import_files(
    paths: Iterable[str | PathLike[str]],
    uow: UnitOfWork,
    *,
    user: Actor,
    unit: str | None = None,
    profile: Profile | None = None,
    year: int | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Read, score and review each file's forms and store them, one transaction per file.

    A file that cannot be read completely, or whose forms cannot all be stored, changes
    nothing and is reported; the batch goes on. Importing the same content again writes
    nothing at all (not even an audit entry): the report says "unchanged". A changed form
    becomes a new version with its diff, and reviewers' decisions on findings that appear
    again carry over.

    `unit` (a name, code or id) and `year` override what the forms say; storage/placement.py
    tells how each form's unit, project and year are found otherwise.
    """
    paths = [os.fspath(path) for path in paths]
    with uow:
        chosen_unit = _organisation(uow, unit) if unit is not None else None
    files = []
    for done, path in enumerate(paths, 1):
        files.append(_import_file(path, uow, user, chosen_unit, profile, year))
        if progress:
            progress("import", done, len(paths))
    return ImportReport(tuple(files))


def _import_file(
    path: str, uow: UnitOfWork, actor: Actor, unit: OrganisationView | None, profile: Profile | None, year: int | None
) -> FileImport:
    result = read_file(path)
    if result.errors:
        return FileImport(path, error="；".join(_where(error) for error in result.errors))
    if not result.forms:
        return FileImport(path, error="文件中没有自评表")
    reviews = check_forms(result.forms, profile)
    saved = []
    with uow:
        placer = FormPlacer(uow, actor, result.forms, unit=unit, year=year)
        try:
            for position, item in enumerate(reviews):
                place = f"第{position + 1}张表“{project_label(item.form)}”"
                try:
                    saved.append(_store_review(uow, actor, placer, item, place))
                except uow.database_errors as error:
                    return FileImport(path, error=f"{place}无法保存：{uow.explain(error)}")
            uow.commit()
        except StoreError as error:
            return FileImport(path, error=str(error))
        except uow.database_errors as error:
            return FileImport(path, error=f"无法保存：{uow.explain(error)}")
    return FileImport(path, tuple(saved))


def _where(error: ReadError) -> str:
    return f"第{error.line}行：{error.message}" if error.line is not None else error.message


def _store_review(uow: UnitOfWork, actor: Actor, placer: FormPlacer, item: Review, place: str) -> SavedVersion:
    form = item.form
    name = project_label(form)
    unit = placer.unit_of(form, place)
    year = placer.year_of(form, place)
    kind = "summary" if form.is_summary else "form"
    key = placer.project_key(form, unit, place)
    project_id = uow.forms.project(key, code=form.project.code, name=name, unit_id=unit.id)
    digest = content_hash(form)
    existing = uow.forms.locate(project_id, year, kind)
    if existing is not None and existing.id in placer.placed:
        raise Invalid(f"{place}：与同一文件中的另一张表是同一项目、同一年度")
    if existing is None:
        form_id = uow.forms.create(
            project_id=project_id,
            year=year,
            kind=kind,
            unit_id=unit.id,
            status=initial_status(actor),
            project_code=form.project.code,
        )
        findings = [NewFinding.of(result, form) for result in item.findings]
        record = form_to_record(form)
        version = NewVersion.of(item, record, digest, changes=(), origin="import", findings=findings, created_by=actor.id)
        uow.forms.add_version(form_id, 0, version, findings)
        uow.audit.append(
            actor.id, "form.import", form_id=form_id, file=form.source.file, project=name, year=year, version=1
        )
        placer.placed.add(form_id)
        return SavedVersion(form_id, name, year, 1, ImportOutcome.NEW)
    placer.placed.add(existing.id)
    if not actor.sees(existing.unit_id, existing.unit_path):
        raise Forbidden(f"{place}：该项目{year}年的表属于其他单位")
    if existing.content_hash == digest:
        return SavedVersion(existing.id, name, year, existing.version, ImportOutcome.UNCHANGED)
    if not may_edit(actor, existing.status):
        raise Conflict(f"{place}：{year}年的表状态为“{existing.status.label}”，不能导入新版本（需审核人先退回）")
    changes = tuple(diff_forms(form_from_record(uow.forms.record(existing.version_id)), form))
    fresh = [NewFinding.of(result, form) for result in item.findings]
    findings = carry_over(uow.forms.findings(existing.version_id), fresh)
    record = form_to_record(form)
    version = NewVersion.of(item, record, digest, changes=changes, origin="import", findings=findings, created_by=actor.id)
    number = uow.forms.add_version(existing.id, existing.version, version, findings)
    uow.audit.append(
        actor.id,
        "form.version",
        form_id=existing.id,
        file=form.source.file,
        version=number,
        changes=[change.text for change in changes],
    )
    return SavedVersion(existing.id, name, year, number, ImportOutcome.VERSION, changes)
