"""The audit log (操作日志): who changed what and when. Entries are added, never changed.

The repository has no update or delete, and the database refuses both: a trigger on
PostgreSQL and on SQLite (migration 0001).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from jixiao.domain.workflow import Actor
from jixiao.storage.orm import AuditEntry, StoredForm, User
from jixiao.storage.queries import visible_to
from jixiao.storage.views import AuditView, plain_json


INSERT_ENTRY = insert(AuditEntry.__table__)
# Marks a session that changed the store, so that its commit raises the store's revision.
CHANGED = "jixiao.changed"


class AuditLog:
    def __init__(self, session: Session) -> None:
        self.session = session

    def append(self, user_id: int, action: str, *, form_id: int | None = None, target: str | None = None, **detail: Any) -> None:
        """Record one state change. `action` is a dotted verb: form.import, finding.decide …"""
        values = {"user_id": user_id, "action": action, "form_id": form_id, "target": target, "detail": plain_json(detail)}
        self.session.execute(INSERT_ENTRY, values)
        self.session.info[CHANGED] = True

    def entries(self, viewer: Actor, *, form_id: int | None = None, limit: int = 200) -> list[AuditView]:
        """Newest first, of one form or of all. Only an admin sees entries that name no form
        (users and organisations added); others see those of the forms they see."""
        query = select(AuditEntry, User.username).join(User, AuditEntry.user_id == User.id)
        if form_id is not None:
            query = query.where(AuditEntry.form_id == form_id)
        if not viewer.is_admin:
            query = query.join(StoredForm, StoredForm.id == AuditEntry.form_id).where(visible_to(viewer, StoredForm.unit_id))
        query = query.order_by(AuditEntry.id.desc()).limit(limit)
        return [
            AuditView(entry.id, entry.at, username, entry.action, entry.form_id, entry.target, entry.detail)
            for entry, username in self.session.execute(query)
        ]
