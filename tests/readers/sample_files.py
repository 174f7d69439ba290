"""What the tests of the sample files share: the file read once per test module, its forms by
index, and an indicator row in a form a test can compare whole.

A test module names its sample in `FILE` and imports the fixtures it uses from here.
"""

from __future__ import annotations

import pytest
from conftest import sample

from jixiao.domain.model import Form, Indicator
from jixiao.readers import FileResult, read_file


@pytest.fixture(scope="module")
def result(request: pytest.FixtureRequest) -> FileResult:
    """The sample file the test module names in `FILE`, read."""
    return read_file(sample(request.module.FILE))


@pytest.fixture(scope="module")
def forms(result: FileResult) -> dict[int, Form]:
    """The file's forms by their index in it."""
    return {form.source.index: form for form in result.forms}


def by_line(form: Form, line: int) -> Indicator:
    """The indicator row read from that line of the file."""
    return next(indicator for indicator in form.indicators if indicator.line == line)


def row_view(indicator: Indicator) -> tuple:
    """An indicator row as the tests spell it out: labels, cells, weight and score texts,
    whether it applies and which labels were filled down."""
    return (
        indicator.level1,
        indicator.level1_text,
        indicator.level2,
        indicator.level2_text,
        indicator.name,
        indicator.target,
        indicator.actual,
        indicator.weight.text,
        indicator.score.text,
        indicator.applicable,
        tuple(sorted(indicator.inferred)),
    )
