"""One transaction over the store, with every repository bound to it.

`with uow:` opens a session; leaving the block rolls back whatever was not committed, so a
failure halfway through an imported file leaves the store as it was (style.md §2).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from types import TracebackType
from typing import TypeVar

from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from jixiao.storage.audit import CHANGED, AuditLog
from jixiao.storage.directory import OrganisationRepository, UserRepository
from jixiao.storage.orm import StoreRevision
from jixiao.storage.queries import FormQueries
from jixiao.storage.read_cache import ReadCache
from jixiao.storage.repository import FormRepository

Answer = TypeVar("Answer")
RAISE_REVISION = update(StoreRevision).where(StoreRevision.id == 1).values(number=StoreRevision.number + 1)

# What a reader of an import report needs to know when a constraint refuses a row.
CONSTRAINT_REASONS = {
    "ck_forms_year": "绩效自评年度须在2000至2100年之间",
    "uq_forms_project_id_year_kind": "同一项目同一年度已有一张表",
    "uq_organisations_name": "单位名称已存在",
    "uq_users_username": "用户名已存在",
}


class UnitOfWork:
    """Repositories over one session: organisations, users, forms, queries, audit."""

    # What a failed statement raises, for callers that must not import SQLAlchemy.
    database_errors: tuple[type[Exception], ...] = (SQLAlchemyError,)

    def __init__(self, sessions: sessionmaker[Session], cache: ReadCache) -> None:
        self._sessions = sessions
        self._cache = cache
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("the unit of work is used outside its `with` block")
        return self._session

    @property
    def organisations(self) -> OrganisationRepository:
        return OrganisationRepository(self.session)

    @property
    def users(self) -> UserRepository:
        return UserRepository(self.session)

    @property
    def forms(self) -> FormRepository:
        return FormRepository(self.session)

    @property
    def queries(self) -> FormQueries:
        return FormQueries(self.session)

    @property
    def audit(self) -> AuditLog:
        return AuditLog(self.session)

    def __enter__(self) -> UnitOfWork:
        if self._session is not None:
            raise RuntimeError("the unit of work is already open")
        self._session = self._sessions()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        session, self._session = self.session, None
        try:
            session.rollback()
        finally:
            session.close()

    @staticmethod
    def explain(error: Exception) -> str:
        """A database error in words: the constraint it broke where known, else its first line."""
        text = str(error)
        for constraint, reason in CONSTRAINT_REASONS.items():
            if constraint in text:
                return f"{reason}（{constraint}）"
        return text.splitlines()[0] if text else type(error).__name__

    def remembered(self, key: Hashable, compute: Callable[[], Answer]) -> Answer:
        """`compute()`, or its answer kept from an earlier call with the same key when nothing
        in the store has changed since (read_cache.ReadCache)."""
        revision = self.session.scalar(select(StoreRevision.number).where(StoreRevision.id == 1)) or 0
        return self._cache.get(key, revision, compute)

    def commit(self) -> None:
        # Raised last, just before the commit: the revision's row lock is then held only
        # for the commit itself, so two writers cannot deadlock on it.
        if self.session.info.pop(CHANGED, False):
            self.session.execute(RAISE_REVISION)
        self.session.commit()

    def rollback(self) -> None:
        self.session.info.pop(CHANGED, None)
        self.session.rollback()
