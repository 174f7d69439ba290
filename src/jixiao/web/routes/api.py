"""The REST API under `/api/` (OpenAPI schema: `/api/openapi.json`).

Authenticated as the pages are, by the session cookie: `GET /api/session` gives a CSRF
token, `POST /api/session` logs in with it, and every POST or DELETE sends it as
`X-CSRF-Token`. Refusals are `{"detail": "<Chinese message>"}` with 401 (not logged in),
403 (not allowed, or no CSRF token), 404 (no such record, or not the user's to see), 409
(changed meanwhile, or a closed state), 413 (upload too large) or 422 (malformed request).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Path, Query, Request, Response, UploadFile

from jixiao import services
from jixiao.domain.workflow import FormStatus, Role
from jixiao.storage.views import MAX_PAGE_SIZE, PAGE_SIZE
from jixiao.web.deps import MAX_ID, CurrentUser, OptionalUser, RecordId, UowDep, csrf_token, start_session
from jixiao.web.errors import LOGIN_MESSAGE
from jixiao.web.routes.auth import WRONG_LOGIN
from jixiao.web.routes.uploads import import_uploads, upload_name
from jixiao.web.schemas import (
    AuditOut,
    CellEditIn,
    CommentIn,
    CommentOut,
    DashboardOut,
    DecisionIn,
    FindingOut,
    FormDetailOut,
    ImportOut,
    LoginIn,
    OrganisationOut,
    PageOut,
    SavedOut,
    SessionOut,
    StatusIn,
    StatusOut,
    UserChange,
    UserIn,
    UserOut,
)

router = APIRouter(prefix="/api")
IMPORT_PATH = "/api/imports"
UNAUTHORIZED = {401: {"description": LOGIN_MESSAGE}}


@router.get("/session", tags=["session"])
def get_session(request: Request, user: OptionalUser) -> SessionOut:
    """Who is logged in (null when no one), and this session's CSRF token."""
    return SessionOut(user=UserOut.of(user) if user else None, csrf_token=csrf_token(request))


@router.post("/session", tags=["session"], responses={401: {"description": WRONG_LOGIN}})
def log_in(request: Request, uow: UowDep, body: LoginIn) -> SessionOut:
    """Log in; the session cookie is set and a new CSRF token returned."""
    actor = services.authenticate(uow, body.username.strip(), body.password)
    if actor is None:
        raise HTTPException(401, WRONG_LOGIN)
    start_session(request, actor)
    return SessionOut(user=UserOut.of(actor), csrf_token=csrf_token(request))


@router.delete("/session", tags=["session"], status_code=204)
def log_out(request: Request) -> Response:
    request.session.clear()
    return Response(status_code=204)


@router.get("/forms", tags=["forms"], responses=UNAUTHORIZED)
def list_forms(
    user: CurrentUser,
    uow: UowDep,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    unit_id: Annotated[int | None, Query(ge=1, le=MAX_ID, description="this organisation and every unit under it")] = None,
    grade: Annotated[str | None, Query(max_length=4)] = None,
    has_errors: bool | None = None,
    status: FormStatus | None = None,
    kind: Annotated[str | None, Query(pattern="^(form|summary)$")] = None,
    q: Annotated[str | None, Query(max_length=100, description="part of the project name, or the start of its code")] = None,
    sort: Annotated[
        str, Query(pattern="^-?(updated|name|year|unit|total|claimed|rate|errors|status)$", description="a column; - for descending")
    ] = "-updated",
    page: Annotated[int, Query(ge=1, le=MAX_ID)] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = PAGE_SIZE,
) -> PageOut:
    """The forms the user may see: a 填报人 their unit's, a 审核人 those under their organisation."""
    filters = services.FormFilters(
        year=year,
        unit_id=unit_id,
        grade=grade,
        has_errors=has_errors,
        status=status,
        kind=kind,
        search=q,
        sort=sort,
        page=page,
        page_size=page_size,
    )
    return PageOut.of(services.list_forms(uow, user, filters))


@router.get("/forms/{form_id}", tags=["forms"], responses=UNAUTHORIZED)
def get_form(form_id: RecordId, user: CurrentUser, uow: UowDep) -> FormDetailOut:
    return FormDetailOut.of(services.get_form(uow, user, form_id))


@router.post("/forms/{form_id}/cells", tags=["forms"], responses=UNAUTHORIZED)
def edit_cell(form_id: RecordId, body: CellEditIn, user: CurrentUser, uow: UowDep) -> SavedOut:
    """Set one cell; the form is re-scored and re-checked and stored as a new version."""
    saved = services.edit_cell(uow, user, form_id, body.path, body.text, expected_version=body.expected_version)
    return SavedOut.of(saved)


@router.post("/forms/{form_id}/status", tags=["forms"], responses=UNAUTHORIZED)
def change_status(form_id: RecordId, body: StatusIn, user: CurrentUser, uow: UowDep) -> StatusOut:
    """草稿 → 已提交 → 已审核 / 退回; a return needs a comment."""
    status = services.change_status(uow, user, form_id, body.status, body.comment)
    return StatusOut(status=status, status_label=status.label)


@router.post("/forms/{form_id}/comments", tags=["forms"], status_code=201, responses=UNAUTHORIZED)
def add_comment(form_id: RecordId, body: CommentIn, user: CurrentUser, uow: UowDep) -> CommentOut:
    return CommentOut.of(services.add_comment(uow, user, form_id, body.body))


@router.get("/forms/{form_id}/findings", tags=["findings"], responses=UNAUTHORIZED)
def list_findings(form_id: RecordId, user: CurrentUser, uow: UowDep) -> list[FindingOut]:
    """The findings of the form's current version, with their review state."""
    return [FindingOut.of(finding) for finding in services.get_form(uow, user, form_id).findings]


@router.post("/findings/{finding_id}/decision", tags=["findings"], responses=UNAUTHORIZED)
def decide_finding(finding_id: RecordId, body: DecisionIn, user: CurrentUser, uow: UowDep) -> FindingOut:
    """Accept, dismiss (with a reason) or reopen a finding; reviewers and admins only."""
    return FindingOut.of(services.decide_finding(uow, user, finding_id, body.state, body.reason))


@router.get("/forms/{form_id}/audit", tags=["forms"], responses=UNAUTHORIZED)
def form_audit(form_id: RecordId, user: CurrentUser, uow: UowDep) -> list[AuditOut]:
    """The form's audit log, newest first."""
    return [AuditOut.of(entry) for entry in services.audit_trail(uow, user, form_id)]


@router.post(IMPORT_PATH.removeprefix("/api"), tags=["imports"], responses={**UNAUTHORIZED, 413: {"description": "上传内容过大"}})
def import_files(
    user: CurrentUser,
    uow: UowDep,
    files: Annotated[list[UploadFile], File(description="text, xlsx, xls, docx or pdf files of forms")],
    unit: Annotated[str | None, Form(max_length=200, description="the unit (name, code or id); reviewers and admins")] = None,
    year: Annotated[int | None, Form(ge=2000, le=2100, description="for forms that print no year")] = None,
) -> ImportOut:
    """Import files: one transaction per file; the result of each file."""
    report = import_uploads(uow, user, files, unit=unit if user.role is not Role.FILLER else None, year=year)
    return ImportOut.of([upload_name(item.filename) for item in files], report)


@router.get("/dashboard", tags=["dashboard"], responses=UNAUTHORIZED)
def dashboard(
    user: CurrentUser,
    uow: UowDep,
    year: Annotated[int, Query(ge=2000, le=2100)],
    unit_id: Annotated[int | None, Query(ge=1, le=MAX_ID, description="this organisation and every unit under it")] = None,
) -> DashboardOut:
    return DashboardOut.of(services.dashboard(uow, user, year, unit_id))


@router.get("/organisations", tags=["organisations"], responses=UNAUTHORIZED)
def list_organisations(user: CurrentUser, uow: UowDep) -> list[OrganisationOut]:
    """The organisations the user may filter by."""
    return [OrganisationOut.of(item) for item in services.list_organisations(uow, user)]


@router.get("/users", tags=["users"], responses=UNAUTHORIZED)
def list_users(user: CurrentUser, uow: UowDep) -> list[UserOut]:
    """Every user (admins only)."""
    return [UserOut.of(item) for item in services.list_users(uow, user)]


@router.post("/users", tags=["users"], status_code=201, responses=UNAUTHORIZED)
def add_user(body: UserIn, user: CurrentUser, uow: UowDep) -> UserOut:
    """Add a user (admins only); the password is stored as an argon2id hash."""
    created = services.add_user(
        uow,
        user,
        body.username,
        body.role,
        organisation=body.organisation,
        password=body.password,
        display_name=body.display_name,
    )
    return UserOut.of(created)


@router.patch("/users/{username}", tags=["users"], responses=UNAUTHORIZED)
def change_user(username: Annotated[str, Path(max_length=80)], body: UserChange, user: CurrentUser, uow: UowDep) -> UserOut:
    """Deactivate or activate a user, or set a new password (admins only)."""
    changed = services.get_user(uow, user, username)  # Forbidden or NotFound before anything changes
    if body.active is not None:
        changed = services.set_active(uow, user, username, body.active)
    if body.password is not None:
        changed = services.reset_password(uow, user, username, body.password)
    return UserOut.of(changed)
