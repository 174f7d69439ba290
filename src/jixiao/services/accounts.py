"""Users (填报人, 审核人, 管理员) and organisations (财政局 → 主管部门 → 预算单位) of the store."""

from __future__ import annotations

from typing import TYPE_CHECKING

from jixiao.domain.workflow import SYSTEM_USER, Actor, Conflict, Forbidden, Invalid, NotFound, OrganisationKind, Role
from jixiao.storage.passwords import hash_password, verify_password
from jixiao.storage.views import OrganisationView, UserView

if TYPE_CHECKING:
    from jixiao.storage.unit_of_work import UnitOfWork


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


def reset_password(uow: UnitOfWork, actor: Actor, username: str, password: str | None) -> UserView:
    """An admin sets a user's password (None: the account can no longer log in). Sessions
    signed before stay valid until they expire; deactivate the user to end them at once."""
    if not actor.is_admin:
        raise Forbidden(f"{actor.role.label}不能重置密码")
    with uow:
        user = _user(uow, username)
        uow.users.set_password_hash(user.username, hash_password(password) if password else None)
        uow.audit.append(actor.id, "user.password", target=f"user:{user.id}", username=user.username, can_log_in=bool(password))
        uow.commit()
        return uow.users.get(user.username)  # type: ignore[return-value]


def set_active(uow: UnitOfWork, actor: Actor, username: str, active: bool) -> UserView:
    """An admin deactivates a user (停用: no login, and their open sessions end on their next
    request) or activates them again. Their forms, decisions and audit entries stay."""
    if not actor.is_admin:
        raise Forbidden(f"{actor.role.label}不能停用或启用用户")
    with uow:
        user = _user(uow, username)
        if not active and (user.id == actor.id or user.username == SYSTEM_USER):
            raise Invalid("不能停用自己或系统用户")
        if user.active != active:
            uow.users.set_active(user.username, active)
            uow.audit.append(actor.id, "user.activate" if active else "user.deactivate", target=f"user:{user.id}", username=user.username)
            uow.commit()
        return uow.users.get(user.username)  # type: ignore[return-value]


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


def _user(uow: UnitOfWork, username: str) -> UserView:
    found = uow.users.get(username.strip())
    if found is None:
        raise NotFound(f"没有用户“{username}”")
    return found


def _organisation(uow: UnitOfWork, reference: str) -> OrganisationView:
    found = uow.organisations.find(reference)
    if found is None:
        raise NotFound(f"没有名称、编码或编号为“{reference}”的单位")
    return found


def get_user(uow: UnitOfWork, actor: Actor, username: str) -> UserView:
    """One user, for an admin managing them."""
    if not actor.is_admin:
        raise Forbidden(f"{actor.role.label}不能查看用户")
    with uow:
        return _user(uow, username)


def list_users(uow: UnitOfWork, actor: Actor) -> list[UserView]:
    """Every user, for an admin managing them."""
    if not actor.is_admin:
        raise Forbidden(f"{actor.role.label}不能查看用户列表")
    with uow:
        return uow.users.all()
