"""用户与单位: an admin adds users (填报人, 审核人, 管理员), resets their passwords, deactivates\nand activates them, and adds organisations (财政局 → 主管部门 → 预算单位)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import RedirectResponse, Response

from jixiao import services
from jixiao.domain.workflow import Actor, OrganisationKind, Role
from jixiao.storage.unit_of_work import UnitOfWork
from jixiao.web.deps import CurrentUser, UowDep
from jixiao.web.rendering import render

router = APIRouter(include_in_schema=False)
MIN_PASSWORD = 8


@router.get("/users")
def users_page(request: Request, user: CurrentUser, uow: UowDep) -> Response:
    return _page(request, uow, user)


@router.post("/users")
def add_user(
    request: Request,
    user: CurrentUser,
    uow: UowDep,
    username: Annotated[str, Form(max_length=80)],
    role: Annotated[str, Form(max_length=20)],
    organisation: Annotated[str, Form(max_length=200)] = "",
    display_name: Annotated[str, Form(max_length=100)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    if password and len(password) < MIN_PASSWORD:
        raise services.Invalid(f"密码至少{MIN_PASSWORD}个字符")
    created = services.add_user(
        uow, user, username, role, organisation=organisation or None, password=password or None, display_name=display_name or None
    )
    return _done(request, uow, user, f"已添加用户 {created.username}（{created.role.label}）")


@router.post("/users/{username}/password")
def reset_password(
    request: Request,
    user: CurrentUser,
    uow: UowDep,
    username: Annotated[str, Path(max_length=80)],
    password: Annotated[str, Form(max_length=200)],
) -> Response:
    if len(password) < MIN_PASSWORD:
        raise services.Invalid(f"密码至少{MIN_PASSWORD}个字符")
    changed = services.reset_password(uow, user, username, password)
    return _done(request, uow, user, f"已重置用户 {changed.username} 的密码")


@router.post("/users/{username}/active")
def set_active(
    request: Request,
    user: CurrentUser,
    uow: UowDep,
    username: Annotated[str, Path(max_length=80)],
    active: Annotated[bool, Form()],
) -> Response:
    changed = services.set_active(uow, user, username, active)
    return _done(request, uow, user, f"已{'启用' if changed.active else '停用'}用户 {changed.username}")


@router.post("/organisations")
def add_organisation(
    request: Request,
    user: CurrentUser,
    uow: UowDep,
    name: Annotated[str, Form(max_length=200)],
    kind: Annotated[str, Form(max_length=20)],
    parent: Annotated[str, Form(max_length=200)] = "",
    code: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    created = services.add_organisation(uow, user, name, kind, parent=parent or None, code=code or None)
    return _done(request, uow, user, f"已添加{created.kind.label} {created.name}")


def _done(request: Request, uow: UnitOfWork, user: Actor, notice: str) -> Response:
    if request.headers.get("HX-Request") == "true":
        return _page(request, uow, user, notice)
    return RedirectResponse("/users", status_code=303)


def _page(request: Request, uow: UnitOfWork, user: Actor, notice: str | None = None) -> Response:
    users = services.list_users(uow, user)  # Forbidden for anyone but an admin
    organisations = services.list_organisations(uow, user)
    names = {organisation.id: organisation.name for organisation in organisations}
    return render(
        request,
        "users.html",
        user=user,
        users=users,
        organisations=organisations,
        organisation_names=names,
        roles=list(Role),
        kinds=list(OrganisationKind),
        notice=notice,
    )
