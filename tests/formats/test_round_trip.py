"""Round trip: every form of the three self-evaluation samples → xlsx, docx, pdf → read back.

The written file must read to the same form.json() as the text sample (without source, line
numbers and reader notes), and the numbers must keep the digits the unit printed: the rate
check's tolerance depends on them (checks.md, funds.rate-mismatch).
"""

from __future__ import annotations

import pytest
from conftest import SAMPLES
from exported_forms import LUOHU_2021, LUOHU_2022, SELF_EVALUATION_SAMPLES, SHENZHEN_2021, comparable, form_named, sample_forms

from jixiao.checks.review import review
from jixiao.readers import read_file
from jixiao.writers import FORMATS, findings_table, form_table, write_forms


def round_trip_cases() -> list:
    """One case per format and form of the samples present, named `pdf-luohu-culture-bureau-2021-05`.

    The samples are read when the tests are collected, so that each form is a case of its own."""
    counts = {name: len(read_file(SAMPLES / name).forms) for name in SELF_EVALUATION_SAMPLES if (SAMPLES / name).exists()}
    return [
        pytest.param(to, name, index, id=f"{to}-{name.split('.')[0]}-{index:02d}")
        for to in FORMATS
        for name, count in counts.items()
        for index in range(count)
    ]


def printed_numbers(form) -> list[str]:
    """The printed texts of the funds rate, weight and score and of every row's 分值 and 得分."""
    funds = form.funds
    texts = [funds.rate.text, funds.weight.text, funds.score.text, form.total.weight.text, form.total.score.text]
    for indicator in form.indicators:
        texts += [indicator.weight.text, indicator.score.text]
    return texts


@pytest.mark.parametrize(("to", "name", "index"), round_trip_cases())
def test_a_sample_form_reads_back_unchanged_from_the_written_file(tmp_path, to, name, index):
    form = sample_forms(name)[index]
    path = tmp_path / f"form.{to}"
    write_forms(path, to, [form_table(form)])
    result = read_file(path)
    assert [str(error) for error in result.errors] == []
    assert [comparable(each) for each in result.forms] == [comparable(form)]
    assert [printed_numbers(each) for each in result.forms] == [printed_numbers(form)]


@pytest.mark.parametrize("to", FORMATS)
def test_a_file_of_several_forms_in_both_layouts_reads_back_form_by_form(tmp_path, to):
    forms = [*sample_forms(SHENZHEN_2021), sample_forms(LUOHU_2021)[0], sample_forms(LUOHU_2022)[0]]
    path = tmp_path / f"several.{to}"
    write_forms(path, to, [form_table(form) for form in forms])
    result = read_file(path)
    assert [str(error) for error in result.errors] == []
    assert [each.source.layout for each in result.forms] == ["form-2021"] * 4 + ["form-2022"]
    assert [comparable(each) for each in result.forms] == [comparable(form) for form in forms]


@pytest.mark.parametrize("to", FORMATS)
def test_an_exported_file_with_its_findings_reads_back_to_the_form_alone(tmp_path, to, shenzhen):
    # The findings sheet/table/page opens with 审核意见: jixiao's own list, not a form.
    form = form_named(LUOHU_2021, "干部健康管理")
    path = tmp_path / f"exported.{to}"
    write_forms(path, to, [form_table(form)], findings_table([review(form, shenzhen)]))
    result = read_file(path)
    assert [comparable(each) for each in result.forms] == [comparable(form)]
    assert [str(error) for error in result.errors] == []


@pytest.mark.parametrize("to", FORMATS)
@pytest.mark.parametrize(("name", "layout"), [(LUOHU_2021, "form-2022"), (LUOHU_2022, "form-2021")])
def test_a_form_written_in_the_other_layout_keeps_its_funds_goals_indicators_and_total(tmp_path, to, name, layout):
    form = form_named(name, "干部健康管理")
    path = tmp_path / f"other-layout.{to}"
    write_forms(path, to, [form_table(form, layout)])
    result = read_file(path)
    assert [each.source.layout for each in result.forms] == [layout]
    back = comparable(result.forms[0])
    original = comparable(form)
    for key in ("funds", "goals", "indicators", "total"):
        assert back[key] == original[key], key
    assert back["project"]["name"] == "干部健康管理"
