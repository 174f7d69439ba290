"""The unit of work: one transaction, rolled back unless committed; records come back whole."""

from __future__ import annotations

import pytest
from conftest import sample
from storage_conftest import (  # noqa: F401  (fixtures)
    database_url,
    postgres_databases,
    postgres_template,
    rows,
    sqlite_template,
    store,
)

from jixiao import services
from jixiao.domain.workflow import OrganisationKind
from jixiao.readers import read_file


def test_work_that_is_not_committed_is_rolled_back(store):
    with store.unit_of_work() as uow:
        uow.organisations.add("未提交的单位", OrganisationKind.UNIT)
    assert rows(store, "SELECT name FROM organisations") == []


def test_committed_work_stays(store):
    with store.unit_of_work() as uow:
        uow.organisations.add("已提交的单位", OrganisationKind.UNIT)
        uow.commit()
    assert rows(store, "SELECT name, path FROM organisations") == [("已提交的单位", "/1/")]


def test_an_error_inside_the_block_rolls_back_and_propagates(store):
    with pytest.raises(RuntimeError), store.unit_of_work() as uow:
        uow.organisations.add("出错前的单位", OrganisationKind.UNIT)
        raise RuntimeError("boom")
    assert rows(store, "SELECT name FROM organisations") == []


def test_a_unit_of_work_is_used_one_block_at_a_time(store):
    uow = store.unit_of_work()
    with pytest.raises(RuntimeError):
        uow.organisations  # noqa: B018  (no repositories outside a block)
    with uow, pytest.raises(RuntimeError), uow:
        pass


def test_every_stored_form_reads_back_equal_to_the_form_that_was_read(store):
    path = sample("luohu-district-office-2022.txt")
    uow = store.unit_of_work()
    system = services.get_actor(uow, "system")
    saved = services.import_files([path], uow, user=system).files[0].forms
    for form, item in zip(read_file(path).forms, saved, strict=True):
        assert services.get_form(uow, system, item.form_id).form == form
