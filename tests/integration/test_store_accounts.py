"""An admin resets passwords and deactivates users; the store and the audit log keep up."""

from __future__ import annotations

import pytest
from storage_conftest import (  # noqa: F401  (fixtures)
    database_url,
    postgres_databases,
    postgres_template,
    rows,
    sqlite_template,
    store,
    system,
)

from jixiao import services
from jixiao.domain.workflow import Forbidden, Invalid, NotFound, Role


@pytest.fixture
def uow(store):
    return store.unit_of_work()


@pytest.fixture
def people(uow, system):
    services.add_organisation(uow, system, "罗湖区委办", "department")
    services.add_user(uow, system, "tian", Role.FILLER, organisation="罗湖区委办", password="填报-旧密码")
    services.add_user(uow, system, "sun", Role.ADMIN, password="管理-密码-sun")
    return {name: services.get_actor(uow, name) for name in ("tian", "sun")}


def test_a_reset_password_replaces_the_old_one(store, uow, people):
    changed = services.reset_password(uow, people["sun"], "tian", "填报-新密码")

    assert changed.can_log_in
    assert services.authenticate(uow, "tian", "填报-旧密码") is None
    assert services.authenticate(uow, "tian", "填报-新密码").username == "tian"
    # The audit entry says who reset whose password, never the password or its hash.
    [(action, target, detail)] = rows(store, "SELECT action, target, detail FROM audit_log WHERE action = 'user.password'")
    assert (action, target) == ("user.password", f"user:{people['tian'].id}")
    assert "新密码" not in str(detail) and "argon2" not in str(detail)


def test_a_password_set_to_none_stops_the_login(uow, people):
    assert not services.reset_password(uow, people["sun"], "tian", None).can_log_in
    assert services.authenticate(uow, "tian", "填报-旧密码") is None


def test_a_deactivated_user_can_neither_log_in_nor_act_until_activated(store, uow, people):
    services.set_active(uow, people["sun"], "tian", False)

    assert services.authenticate(uow, "tian", "填报-旧密码") is None
    with pytest.raises(NotFound, match="已停用"):
        services.get_actor(uow, "tian")  # what every request of an open session asks first
    assert not services.get_user(uow, people["sun"], "tian").active

    services.set_active(uow, people["sun"], "tian", True)
    assert services.authenticate(uow, "tian", "填报-旧密码").username == "tian"
    actions = [action for (action,) in rows(store, "SELECT action FROM audit_log WHERE action LIKE 'user.%activate' ORDER BY id")]
    assert actions == ["user.deactivate", "user.activate"]


def test_deactivating_an_inactive_user_changes_nothing(store, uow, people):
    services.set_active(uow, people["sun"], "tian", False)
    services.set_active(uow, people["sun"], "tian", False)
    assert rows(store, "SELECT count(*) FROM audit_log WHERE action = 'user.deactivate'") == [(1,)]


def test_an_admin_cannot_deactivate_themself_or_the_system_user(uow, people):
    with pytest.raises(Invalid):
        services.set_active(uow, people["sun"], "sun", False)
    with pytest.raises(Invalid):
        services.set_active(uow, people["sun"], "system", False)


def test_only_an_admin_manages_users(uow, people):
    with pytest.raises(Forbidden):
        services.reset_password(uow, people["tian"], "tian", "自己-改的密码")
    with pytest.raises(Forbidden):
        services.set_active(uow, people["tian"], "sun", False)
    with pytest.raises(Forbidden):
        services.get_user(uow, people["tian"], "sun")


def test_an_unknown_user_is_named_in_the_error(uow, people):
    with pytest.raises(NotFound, match="nobody"):
        services.reset_password(uow, people["sun"], "nobody", "任意-密码-123")
