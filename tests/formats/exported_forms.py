"""Sample forms for the writer tests: read once from the text samples, compared without origin.

Imported by the writer, round-trip, LibreOffice and export tests (this folder is on sys.path
when pytest collects them).
"""

from __future__ import annotations

from functools import cache

from conftest import sample

from jixiao.domain.model import Form
from jixiao.readers import read_file

LUOHU_2021 = "luohu-culture-bureau-2021.txt"
SHENZHEN_2021 = "shenzhen-culture-bureau-2021.txt"
LUOHU_2022 = "luohu-district-office-2022.txt"
SELF_EVALUATION_SAMPLES = (LUOHU_2021, SHENZHEN_2021, LUOHU_2022)


@cache
def sample_forms(name: str) -> tuple[Form, ...]:
    """Every form of a text sample, as the text reader reads it (no read errors allowed)."""
    result = read_file(sample(name))
    assert not result.errors, result.errors
    return result.forms


def form_named(name: str, project: str) -> Form:
    """The one form of a sample whose 项目名称 is `project`."""
    found = [form for form in sample_forms(name) if form.project.name == project]
    assert len(found) == 1, f"{project} in {name}: {len(found)} forms"
    return found[0]


def comparable(form: Form) -> dict:
    """form.json() without where it came from: source, line numbers and reader notes."""
    data = form.json()
    del data["source"]
    data.pop("notes", None)
    for indicator in data["indicators"]:
        del indicator["line"]
    return data
