"""The one API the entry points call: read files, score and review their forms.

`jixiao parse` is `parse_files`, `jixiao check` is `check_files`; a script can call the same
functions and get the same results. Bad input never stops a batch: each file's forms are
kept or its error is recorded, and the rest go on.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from os import PathLike
from pathlib import Path

from jixiao import profiles, writers
from jixiao.checks.review import Review, review
from jixiao.domain.model import Form
from jixiao.domain.profiles import Profile
from jixiao.domain.scoring import PROFILE_OF_LAYOUT, infer_profile_name
from jixiao.readers import FileResult, read_file
from jixiao.readers.grid import ReadError

# Called as progress(stage, done, total) with stage "read" (files) or "check" (forms).
Progress = Callable[[str, int, int], None]

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2


@dataclass(frozen=True, slots=True)
class ParseRun:
    """Every form read from a batch of files, and every place that could not be read."""

    files: tuple[FileResult, ...]

    @property
    def forms(self) -> list[Form]:
        return [form for result in self.files for form in result.forms]

    @property
    def errors(self) -> list[ReadError]:
        return [error for result in self.files for error in result.errors]

    @property
    def exit_code(self) -> int:
        return EXIT_UNREADABLE if self.errors else EXIT_OK


@dataclass(frozen=True, slots=True)
class CheckRun:
    """A parse run plus a review of each form that was read."""

    parsed: ParseRun
    reviews: tuple[Review, ...]

    @property
    def errors(self) -> list[ReadError]:
        return self.parsed.errors

    @property
    def exit_code(self) -> int:
        """2 if an input could not be read, else 1 if an error-severity check failed, else 0."""
        if self.parsed.errors:
            return EXIT_UNREADABLE
        return EXIT_FINDINGS if any(item.has_errors for item in self.reviews) else EXIT_OK


def parse_files(paths: Iterable[str | PathLike[str]], progress: Progress | None = None) -> ParseRun:
    """Read every file into forms; unreadable files and regions become errors, not exceptions."""
    paths = list(paths)
    results = []
    with _collector_paused():
        for done, path in enumerate(paths, 1):
            results.append(read_file(path))
            if progress:
                progress("read", done, len(paths))
    return ParseRun(tuple(results))


def check_files(
    paths: Iterable[str | PathLike[str]],
    profile: Profile | None = None,
    progress: Progress | None = None,
) -> CheckRun:
    """Read, score and review every form. Without a profile, each form gets its default."""
    parsed = parse_files(paths, progress)
    return CheckRun(parsed, tuple(check_forms(parsed.forms, profile, progress)))


def check_forms(
    forms: Sequence[Form],
    profile: Profile | None = None,
    progress: Progress | None = None,
) -> list[Review]:
    """Review forms already read; the whole sequence is the batch cross-form checks compare."""
    shipped = profiles.load_all()
    candidates = tuple(shipped.values())
    reviews = []
    with _collector_paused():
        for done, form in enumerate(forms, 1):
            chosen = profile or shipped[infer_profile_name(form)]
            reviews.append(review(form, chosen, batch=forms, profiles=candidates))
            if progress:
                progress("check", done, len(forms))
    return reviews


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Keep Python's cycle collector out of a batch, and restore it after.

    A batch builds hundreds of long-lived objects per form and no reference cycles, so every
    automatic collection is wasted work, and the full ones rescan every form read so far:
    with the collector on, 10,000 forms took 28 % longer (docs/benchmarks.md).
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


# --- export and template (official form out as xlsx, docx, pdf)

EXPORT_FORMATS = writers.FORMATS
TEMPLATE_FORMATS = ("xlsx", "docx")  # a blank form is filled on a computer; a PDF is not
LAYOUTS = writers.LAYOUTS
# Characters no file system of a reviewer (Windows included) accepts in a file name.
_UNSAFE_IN_FILE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
_FILE_NAME_MAX = 60  # characters: CJK takes 3 bytes each of a 255-byte name


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


# --- the store: import, list, review and workflow, users (issue "Store and web app")
# Imports sit here because this part was appended while other parts of the module were
# being edited; SQLAlchemy itself is only imported by `open_store`.

import os  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from enum import StrEnum  # noqa: E402
from typing import TYPE_CHECKING  # noqa: E402

from jixiao.domain.records import (  # noqa: E402
    CellPathError,
    Change,
    cell_place,
    content_hash,
    diff_forms,
    form_from_record,
    form_to_record,
    with_cell,
)
from jixiao.domain.workflow import (  # noqa: E402
    NEEDS_COMMENT,
    TRANSITIONS,
    Actor,
    Conflict,
    FindingState,
    Forbidden,
    FormStatus,
    Invalid,
    NotFound,
    OrganisationKind,
    Role,
    StoreError,
    initial_status,
    may_decide_findings,
    may_edit,
    next_statuses,
)
from jixiao.storage.passwords import hash_password, verify_password  # noqa: E402
from jixiao.storage.placement import FormPlacer  # noqa: E402
from jixiao.storage.views import (  # noqa: E402
    AuditView,
    CommentView,
    Dashboard,
    FindingView,
    FormDetail,
    FormFilters,
    FormState,
    NewFinding,
    NewVersion,
    OrganisationView,
    Page,
    UserView,
    carry_over,
    project_label,
)

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


# --- reading


def list_forms(uow: UnitOfWork, viewer: Actor, filters: FormFilters | None = None) -> Page:
    """The forms the viewer may see, filtered, sorted and paged (FormFilters)."""
    with uow:
        return uow.queries.list(viewer, filters or FormFilters())


def get_form(uow: UnitOfWork, viewer: Actor, form_id: int) -> FormDetail:
    """A form's page: its current version, findings, history, comments and what the viewer may do.

    NotFound also for a form the viewer may not see: its existence is not revealed.
    """
    with uow:
        summary = uow.queries.summary(viewer, form_id)
        if summary is None:
            raise NotFound(f"没有编号为{form_id}的表")
        version_id, record, evaluation = uow.queries.current(form_id)
        return FormDetail(
            summary=summary,
            form=form_from_record(record),
            evaluation=evaluation,
            findings=uow.forms.findings(version_id),
            versions=uow.queries.versions(form_id),
            comments=uow.queries.comments(form_id),
            next_statuses=next_statuses(viewer, summary.status),
            editable=may_edit(viewer, summary.status),
            can_decide=may_decide_findings(viewer) and summary.status is not FormStatus.APPROVED,
        )


def dashboard(uow: UnitOfWork, viewer: Actor, year: int, unit_id: int | None = None) -> Dashboard:
    """A year's scores, grades, execution by unit, top finding codes and forms needing attention."""
    with uow:
        path = None
        if unit_id is not None:
            found = uow.organisations.get(unit_id)
            if found is None:
                raise NotFound(f"没有编号为{unit_id}的单位")
            path = found.path  # the viewer's own scope still applies inside the query
        return uow.queries.dashboard(viewer, year, path)


def audit_trail(uow: UnitOfWork, viewer: Actor, form_id: int | None = None, limit: int = 200) -> list[AuditView]:
    """The audit entries the viewer may see, newest first, of one form or of all."""
    with uow:
        if form_id is not None:
            _visible_form(uow, viewer, form_id)
        return uow.audit.entries(viewer, form_id=form_id, limit=limit)


def list_organisations(uow: UnitOfWork, viewer: Actor) -> list[OrganisationView]:
    """The organisations a viewer may filter by: all (admin), their subtree (reviewer), their unit (filler)."""
    with uow:
        if viewer.is_admin:
            return uow.organisations.under(None)
        if viewer.role is Role.REVIEWER:
            return uow.organisations.under(viewer.organisation_path) if viewer.organisation_path else []
        own = uow.organisations.get(viewer.organisation_id or 0)
        return [own] if own else []


# --- changing a form


# Cells that place a form in the store (storage/placement.py); the stored form keeps them.
IDENTITY_CELLS = frozenset({"project.code", "project.year"})


def edit_cell(
    uow: UnitOfWork, user: Actor, form_id: int, path: str, text: str, *, expected_version: int | None = None
) -> SavedVersion:
    """Set one cell (`indicators.3.actual`, `funds.total.executed` …; records.with_cell) and
    store the result as a new version by `user`, re-scored and re-checked.

    The form is reviewed with the other forms of the file it came from, as on import. An
    edit that changes nothing stores nothing. Conflict when `expected_version` is not the
    current version (someone else saved first).
    """
    with uow:
        state = _visible_form(uow, user, form_id)
        if not may_edit(user, state.status):
            raise Forbidden(f"表的状态为“{state.status.label}”，{user.role.label}不能修改")
        if expected_version is not None and expected_version != state.version:
            raise Conflict(f"表已更新到第{state.version}版，请刷新后再修改")
        if path in IDENTITY_CELLS:
            raise Invalid("项目编码和绩效自评年度决定表属于哪个项目、哪一年，不能修改（请重新导入）")
        old = form_from_record(uow.forms.record(state.version_id))
        try:
            place, before = cell_place(old, path)
            new = with_cell(old, path, text)
        except CellPathError as error:
            raise Invalid(str(error)) from None
        digest = content_hash(new)
        name = project_label(new)
        if digest == state.content_hash:
            return SavedVersion(form_id, name, state.year, state.version, ImportOutcome.UNCHANGED)
        record = form_to_record(new)
        siblings = uow.forms.sources(state.source_file) if state.source_file else []
        batch = [new if other_id == form_id else form_from_record(other) for other_id, other in siblings] or [new]
        shipped = profiles.load_all()
        item = review(new, _profile_named(state.profile, new, shipped), batch=batch, profiles=tuple(shipped.values()))
        changes = tuple(diff_forms(old, new))
        fresh = [NewFinding.of(result, new) for result in item.findings]
        findings = carry_over(uow.forms.findings(state.version_id), fresh)
        version = NewVersion.of(item, record, digest, changes=changes, origin="edit", findings=findings, created_by=user.id)
        number = uow.forms.add_version(form_id, state.version, version, findings)
        after = cell_place(new, path)[1]
        uow.audit.append(
            user.id, "form.edit", form_id=form_id, path=path, place=place, old=before, new=after, version=number
        )
        uow.commit()
        return SavedVersion(form_id, name, state.year, number, ImportOutcome.VERSION, changes)


def decide_finding(
    uow: UnitOfWork, user: Actor, finding_id: int, state: FindingState | str, reason: str | None = None
) -> FindingView:
    """Accept a finding, dismiss it with a reason, or reopen it. Reviewers and admins only,
    on the current version of a form that is not approved."""
    decision = FindingState(state)
    reason = (reason or "").strip() or None
    with uow:
        found = uow.forms.finding(finding_id)
        if found is None:
            raise NotFound(f"没有编号为{finding_id}的问题")
        finding, form_id, number = found
        form = _visible_form(uow, user, form_id, f"没有编号为{finding_id}的问题")
        if not may_decide_findings(user):
            raise Forbidden(f"{user.role.label}不能确认或驳回审核问题")
        if number != form.version:
            raise Conflict(f"该问题属于第{number}版，表已更新到第{form.version}版")
        if form.status is FormStatus.APPROVED:
            raise Conflict("表已审核，不能再处理问题（需先退回）")
        if decision is FindingState.DISMISSED and reason is None:
            raise Invalid("驳回问题须说明理由")
        decided = decision is not FindingState.OPEN
        when = datetime.now(UTC) if decided else None
        uow.forms.decide(finding_id, decision, reason, user.id if decided else None, when)
        uow.audit.append(
            user.id,
            "finding.decide",
            form_id=form_id,
            target=f"finding:{finding_id}",
            code=finding.code,
            indicator=finding.indicator_name,
            state=decision.value,
            reason=reason,
            version=number,
        )
        uow.commit()
        return uow.forms.finding(finding_id)[0]  # type: ignore[index]


def change_status(
    uow: UnitOfWork, user: Actor, form_id: int, status: FormStatus | str, comment: str | None = None
) -> FormStatus:
    """Move a form along 草稿 → 已提交 → 已审核 / 退回 (workflow.TRANSITIONS); a return needs a comment."""
    target = FormStatus(status)
    comment = (comment or "").strip() or None
    with uow:
        form = _visible_form(uow, user, form_id)
        roles = TRANSITIONS.get((form.status, target))
        if roles is None:
            raise Conflict(f"表的状态为“{form.status.label}”，不能改为“{target.label}”")
        if user.role not in roles:
            raise Forbidden(f"{user.role.label}不能把表改为“{target.label}”")
        if target in NEEDS_COMMENT and comment is None:
            raise Invalid(f"改为“{target.label}”须写明原因")
        uow.forms.set_status(form_id, target)
        if comment is not None:
            uow.forms.add_comment(form_id, form.version, user.id, comment)
        uow.audit.append(
            user.id, "form.status", form_id=form_id, before=form.status.value, after=target.value, comment=comment
        )
        uow.commit()
        return target


def add_comment(uow: UnitOfWork, user: Actor, form_id: int, body: str) -> CommentView:
    """A remark on the form's current version, by anyone who sees the form."""
    body = body.strip()
    if not body:
        raise Invalid("意见不能为空")
    with uow:
        form = _visible_form(uow, user, form_id)
        comment_id = uow.forms.add_comment(form_id, form.version, user.id, body)
        uow.audit.append(user.id, "comment.add", form_id=form_id, target=f"comment:{comment_id}", body=body)
        uow.commit()
        return next(comment for comment in uow.queries.comments(form_id) if comment.id == comment_id)


def _visible_form(uow: UnitOfWork, user: Actor, form_id: int, missing: str | None = None) -> FormState:
    state = uow.forms.state(form_id)
    if state is None or not user.sees(state.unit_id, state.unit_path):
        raise NotFound(missing or f"没有编号为{form_id}的表")
    return state


def _profile_named(name: str, form: Form, shipped: dict[str, Profile]) -> Profile:
    """The profile a version was scored under; a local YAML profile, which the store does
    not keep, falls back to the form's default."""
    return shipped.get(name) or shipped[infer_profile_name(form, tuple(shipped.values()))]


# --- users and organisations


def get_actor(uow: UnitOfWork, username: str) -> Actor:
    """The active user of that name, as services act for them."""
    with uow:
        actor = uow.users.actor(username)
    if actor is None:
        raise NotFound(f"没有用户“{username}”（或已停用）")
    return actor


def authenticate(uow: UnitOfWork, username: str, password: str) -> Actor | None:
    """The user when the password is theirs; None otherwise (unknown, inactive, no password)."""
    with uow:
        if not verify_password(uow.users.password_hash(username), password):
            return None
        return uow.users.actor(username)


def add_user(
    uow: UnitOfWork,
    actor: Actor,
    username: str,
    role: Role | str,
    *,
    organisation: str | None = None,
    password: str | None = None,
    display_name: str | None = None,
) -> UserView:
    """An admin adds a user. A 填报人 or 审核人 belongs to an organisation (name, code or id);
    without a password the account cannot log in."""
    if not actor.is_admin:
        raise Forbidden(f"{actor.role.label}不能添加用户")
    username = username.strip()
    try:
        chosen = Role(role)
    except ValueError:
        raise Invalid(f"角色应为 {', '.join(item.value for item in Role)}，不是“{role}”") from None
    if not username or len(username) > 80:
        raise Invalid("用户名不能为空，且不超过80个字符")
    with uow:
        if uow.users.get(username) is not None:
            raise Conflict(f"用户“{username}”已存在")
        home = _organisation(uow, organisation) if organisation else None
        if home is None and chosen is not Role.ADMIN:
            raise Invalid(f"{chosen.label}须属于一个单位或部门")
        secret = hash_password(password) if password else None
        created = uow.users.add(username, chosen, home.id if home else None, secret, display_name)
        uow.audit.append(
            actor.id,
            "user.add",
            target=f"user:{created.id}",
            username=username,
            role=chosen.value,
            organisation=home.name if home else None,
        )
        uow.commit()
        return created


def add_organisation(
    uow: UnitOfWork,
    actor: Actor,
    name: str,
    kind: OrganisationKind | str,
    *,
    parent: str | None = None,
    code: str | None = None,
) -> OrganisationView:
    """An admin adds a 财政局, 主管部门 or 预算单位, under `parent` (name, code or id)."""
    if not actor.is_admin:
        raise Forbidden(f"{actor.role.label}不能添加单位")
    name = name.strip()
    try:
        chosen = OrganisationKind(kind)
    except ValueError:
        raise Invalid(f"类型应为 {', '.join(item.value for item in OrganisationKind)}，不是“{kind}”") from None
    if not name or len(name) > 200:
        raise Invalid("单位名称不能为空，且不超过200个字符")
    with uow:
        if uow.organisations.find(name) is not None or (code and uow.organisations.find(code) is not None):
            raise Conflict(f"单位“{name}”或编码“{code}”已存在")
        above = _organisation(uow, parent) if parent else None
        created = uow.organisations.add(name, chosen, above, code)
        uow.audit.append(
            actor.id,
            "organisation.add",
            target=f"organisation:{created.id}",
            name=name,
            kind=chosen.value,
            parent=above.name if above else None,
        )
        uow.commit()
        return created


def _organisation(uow: UnitOfWork, reference: str) -> OrganisationView:
    found = uow.organisations.find(reference)
    if found is None:
        raise NotFound(f"没有名称、编码或编号为“{reference}”的单位")
    return found


# --- for the web app: users, years, exports of stored forms (issue "Store and web app", part 2)

from jixiao.writers.findings import OUTCOME_TEXT, SEVERITY_TEXT, shown  # noqa: E402

# Forms whose findings one export gathers at most: a year of a large department.
EXPORT_FORMS_LIMIT = 1000


def list_users(uow: UnitOfWork, actor: Actor) -> list[UserView]:
    """Every user, for an admin managing them."""
    if not actor.is_admin:
        raise Forbidden(f"{actor.role.label}不能查看用户列表")
    with uow:
        return uow.users.all()


def form_years(uow: UnitOfWork, viewer: Actor) -> list[int]:
    """The years from the viewer's newest form to their oldest, newest first (a filter's choices)."""
    newest = list_forms(uow, viewer, FormFilters(sort="-year", page_size=1)).items
    oldest = list_forms(uow, viewer, FormFilters(sort="year", page_size=1)).items
    if not newest or not oldest:
        return []
    return list(range(newest[0].year, oldest[0].year - 1, -1))


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


# --- department summaries (issue "Department summaries and drafted evaluation reports", part 1)
# `jixiao summary` is `summarise_files` or `summarise_stored`, then `export_summary`; the web
# app calls the same two and shows `SummaryRun.table.json()` and `SummaryRun.charts.json()`.

from dataclasses import replace  # noqa: E402
from decimal import Decimal  # noqa: E402
from importlib import import_module  # noqa: E402

from jixiao.domain.summary import AmountUnit, SummaryTable, shown_rate, summary_table  # noqa: E402
from jixiao.writers.summary_table import SummaryCharts, summary_charts, summary_export  # noqa: E402

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


# --- evaluation reports (issue "Department summaries and drafted evaluation reports", part 2)
# `jixiao report FILES` is `draft_report` then `write_report`; `jixiao report --db` is
# `draft_stored_report`; `jixiao report --check` is `check_report_file`. The web app calls the
# same: `report_framework` and `parse_judgement`/`parse_funds` for the evaluator's form,
# `draft_stored_report` for a department and year, `ReportDraft.json()` to show it,
# `report_images` for its charts and `write_report` for the .docx or PDF.

from collections import Counter  # noqa: E402
from decimal import Decimal  # noqa: E402, F811  (the summary part imports it too)
from importlib import import_module  # noqa: E402, F811

from jixiao.checks.reports import ReportReview, review_report  # noqa: E402
from jixiao.domain.report import Assessment, Report, assess  # noqa: E402
from jixiao.domain.report_framework import Framework, Judgement  # noqa: E402
from jixiao.domain.report_framework import ReportInputError  # noqa: E402, F401  (raised for an invalid evaluator file)
from jixiao.domain.report_inputs import FundsFile, ReportInputs, YearFigures, category_from_form  # noqa: E402
from jixiao.domain.report_narrative import draft  # noqa: E402
from jixiao.domain.scoring import fiscal_year, round2  # noqa: E402
from jixiao.readers.report_inputs import judgement_template, read_funds, read_judgement  # noqa: E402
from jixiao.readers.report_text import read_report as read_report_file  # noqa: E402

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


# --- department summaries, continued: execution year over year (for the web dashboard's chart)


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
