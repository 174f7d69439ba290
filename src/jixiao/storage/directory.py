"""Organisations and users (机构与用户) in the store."""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from jixiao.domain.workflow import Actor, OrganisationKind, Role
from jixiao.storage.orm import Organisation, User
from jixiao.storage.views import OrganisationView, UserView

# Where imported units go when their 主管部门 is not in the store (see services.import_files).
UNASSIGNED = "未分配"


class OrganisationRepository:
    """The organisation tree. A path of ids (`/1/4/9/`) makes "everything under" a prefix match."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, name: str, kind: OrganisationKind, parent: OrganisationView | None = None, code: str | None = None) -> OrganisationView:
        row = Organisation(name=name, code=code, kind=kind.value, parent_id=None if parent is None else parent.id, path="")
        self.session.add(row)
        self.session.flush()  # the path needs the id
        row.path = f"{parent.path if parent else '/'}{row.id}/"
        self.session.flush()
        return _organisation(row)

    def get(self, organisation_id: int) -> OrganisationView | None:
        row = self.session.get(Organisation, organisation_id)
        return None if row is None else _organisation(row)

    def find(self, reference: str) -> OrganisationView | None:
        """By id (digits that are not also a code), name or code."""
        reference = reference.strip()
        if not reference:
            return None
        row = self._one(Organisation.name == reference) or self._one(Organisation.code == reference)
        # An id fits a 64-bit integer; a longer digit string (a 项目编码 pasted by mistake) is no id.
        if row is None and reference.isdigit() and len(reference) <= 18:
            row = self.session.get(Organisation, int(reference))
        return None if row is None else _organisation(row)

    def unassigned(self) -> OrganisationView:
        """The 未分配 department at the root, created on first use."""
        return self.find(UNASSIGNED) or self.add(UNASSIGNED, OrganisationKind.DEPARTMENT)

    def under(self, path: str | None) -> list[OrganisationView]:
        """Every organisation whose path starts with `path` (all of them for None), by path."""
        query = select(Organisation).order_by(Organisation.path)
        if path is not None:
            query = query.where(Organisation.path.startswith(path, autoescape=True))
        return [_organisation(row) for row in self.session.scalars(query)]

    def count_under(self, path: str | None) -> int:
        query = select(func.count()).select_from(Organisation)
        if path is not None:
            query = query.where(Organisation.path.startswith(path, autoescape=True))
        return self.session.scalar(query) or 0

    def way_down(self, root: OrganisationView | None, selected: OrganisationView | None) -> list[OrganisationView]:
        """`root`, the organisations one level below it, and the way down to `selected` with
        the organisations beside it on each level, by path (the top of the tree for no root)."""
        chain = [int(part) for part in selected.path.strip("/").split("/")] if selected else []
        if root is not None:
            chain = chain[chain.index(root.id) :] if root.id in chain else [root.id]
        condition = Organisation.id.in_(chain) | Organisation.parent_id.in_(chain)
        if root is None:
            condition |= Organisation.parent_id.is_(None)
        query = select(Organisation).where(condition).order_by(Organisation.path)
        return [_organisation(row) for row in self.session.scalars(query)]

    def _one(self, condition: ColumnElement[bool]) -> Organisation | None:
        return self.session.scalars(select(Organisation).where(condition)).first()


class UserRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(
        self,
        username: str,
        role: Role,
        organisation_id: int | None,
        password_hash: str | None,
        display_name: str | None = None,
    ) -> UserView:
        row = User(
            username=username,
            role=role.value,
            organisation_id=organisation_id,
            password_hash=password_hash,
            display_name=display_name,
            active=True,
        )
        self.session.add(row)
        self.session.flush()
        return _user(row)

    def get(self, username: str) -> UserView | None:
        row = self._row(username)
        return None if row is None else _user(row)

    def password_hash(self, username: str) -> str | None:
        row = self._row(username)
        return None if row is None or not row.active else row.password_hash

    def actor(self, username: str) -> Actor | None:
        """The user as services see them, with their organisation's path; None if unknown or inactive."""
        found = self.session.execute(
            select(User, Organisation.path)
            .outerjoin(Organisation, User.organisation_id == Organisation.id)
            .where(User.username == username, User.active.is_(True))
        ).first()
        if found is None:
            return None
        user, path = found
        return Actor(user.id, user.username, Role(user.role), user.organisation_id, path, user.display_name)

    def set_password_hash(self, username: str, password_hash: str | None) -> None:
        row = self._row(username)
        if row is not None:
            row.password_hash = password_hash
            self.session.flush()

    def set_active(self, username: str, active: bool) -> None:
        row = self._row(username)
        if row is not None:
            row.active = active
            self.session.flush()

    def all(self) -> list[UserView]:
        return [_user(row) for row in self.session.scalars(select(User).order_by(User.username))]

    def _row(self, username: str) -> User | None:
        return self.session.scalars(select(User).where(User.username == username)).first()


def _organisation(row: Organisation) -> OrganisationView:
    return OrganisationView(row.id, row.name, OrganisationKind(row.kind), row.parent_id, row.path, row.code)


def _user(row: User) -> UserView:
    return UserView(
        row.id, row.username, Role(row.role), row.organisation_id, row.display_name, row.active, row.password_hash is not None
    )
