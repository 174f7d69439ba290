"""Who may see and change a stored form, and the review workflow (审核流程).

A store holds forms of many units in an organisation tree (财政局 → 主管部门 → 预算单位).
A 填报人 (filler) works on their own unit's forms, a 审核人 (reviewer) on every unit under
their organisation, a 管理员 (admin) on everything. A form moves 草稿 → 已提交 → 已审核 or
退回, and 退回 → 已提交 again. An approved form is frozen until a reviewer returns it.

These rules are pure: the services ask them, the storage enforces the visibility in its
queries with the same organisation paths.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

# The built-in admin that command-line imports act as (the store's first migration creates it).
SYSTEM_USER = "system"


class Role(StrEnum):
    FILLER = "filler"  # 填报人
    REVIEWER = "reviewer"  # 审核人
    ADMIN = "admin"  # 管理员

    @property
    def label(self) -> str:
        return {"filler": "填报人", "reviewer": "审核人", "admin": "管理员"}[self.value]


class OrganisationKind(StrEnum):
    BUREAU = "bureau"  # 财政局
    DEPARTMENT = "department"  # 主管部门
    UNIT = "unit"  # 预算单位

    @property
    def label(self) -> str:
        return {"bureau": "财政局", "department": "主管部门", "unit": "预算单位"}[self.value]


class FormStatus(StrEnum):
    DRAFT = "draft"  # 草稿
    SUBMITTED = "submitted"  # 已提交
    APPROVED = "approved"  # 已审核
    RETURNED = "returned"  # 退回

    @property
    def label(self) -> str:
        return {"draft": "草稿", "submitted": "已提交", "approved": "已审核", "returned": "退回"}[self.value]


class FindingState(StrEnum):
    OPEN = "open"  # 待处理
    ACCEPTED = "accepted"  # 确认（问题成立）
    DISMISSED = "dismissed"  # 驳回（问题不成立，须说明理由）

    @property
    def label(self) -> str:
        return {"open": "待处理", "accepted": "已确认", "dismissed": "已驳回"}[self.value]


class StoreError(Exception):
    """A request the store refuses; the message is Chinese and names what was wrong."""


class NotFound(StoreError):
    """No such record, or one the user may not see (the two are not told apart)."""


class Forbidden(StoreError):
    """The user sees the record but their role may not do this to it."""


class Conflict(StoreError):
    """The record changed under the request (another version, a closed state)."""


class Invalid(StoreError):
    """The request itself is malformed: an unknown cell, a missing reason."""


@dataclass(frozen=True, slots=True)
class Actor:
    """The user a service acts for: role, organisation and its place in the tree.

    `organisation_path` is the materialised path of ids (`/1/4/9/`): a unit lies under an
    organisation when its path starts with the organisation's path.
    """

    id: int
    username: str
    role: Role
    organisation_id: int | None = None
    organisation_path: str | None = None
    display_name: str | None = None

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def sees(self, unit_id: int, unit_path: str) -> bool:
        """A filler sees their own unit; a reviewer every unit under their organisation."""
        if self.role is Role.ADMIN:
            return True
        if self.role is Role.FILLER:
            return unit_id == self.organisation_id
        return self.organisation_path is not None and unit_path.startswith(self.organisation_path)


# Who may move a form from one status to another (审核流程).
TRANSITIONS: dict[tuple[FormStatus, FormStatus], frozenset[Role]] = {
    (FormStatus.DRAFT, FormStatus.SUBMITTED): frozenset(Role),
    (FormStatus.RETURNED, FormStatus.SUBMITTED): frozenset(Role),
    (FormStatus.SUBMITTED, FormStatus.APPROVED): frozenset({Role.REVIEWER, Role.ADMIN}),
    (FormStatus.SUBMITTED, FormStatus.RETURNED): frozenset({Role.REVIEWER, Role.ADMIN}),
    # Reopening an approved form, so that it can be corrected.
    (FormStatus.APPROVED, FormStatus.RETURNED): frozenset({Role.REVIEWER, Role.ADMIN}),
}
# A return must say why; the unit reads it as a comment.
NEEDS_COMMENT = frozenset({FormStatus.RETURNED})


def next_statuses(actor: Actor, status: FormStatus) -> list[FormStatus]:
    """The statuses this actor may move a visible form to."""
    return [to for (start, to), roles in TRANSITIONS.items() if start is status and actor.role in roles]


def may_edit(actor: Actor, status: FormStatus) -> bool:
    """A filler edits a draft or a returned form; a reviewer or admin anything not approved."""
    if status is FormStatus.APPROVED:
        return False
    if actor.role is Role.FILLER:
        return status in (FormStatus.DRAFT, FormStatus.RETURNED)
    return True


def may_decide_findings(actor: Actor) -> bool:
    """Accepting or dismissing a finding is a reviewer's judgement, not the unit's."""
    return actor.role in (Role.REVIEWER, Role.ADMIN)


def initial_status(actor: Actor) -> FormStatus:
    """A unit's own upload starts as a draft; a file a reviewer imports was already submitted."""
    return FormStatus.DRAFT if actor.role is Role.FILLER else FormStatus.SUBMITTED
