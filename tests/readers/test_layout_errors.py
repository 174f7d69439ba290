"""Regions that cannot be read become ReadErrors naming file and line; the rest is read."""

from __future__ import annotations

from dataclasses import replace

from conftest import SAMPLES, sample
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.readers import forms_from_grid, read_file
from jixiao.readers.text import grid_from_text

SHENZHEN = "shenzhen-culture-bureau-2021.txt"


def shenzhen_lines():
    return sample(SHENZHEN).read_text(encoding="utf-8").split("\n")


def write(tmp_path, name, lines):
    path = tmp_path / name
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_a_garbage_region_between_two_forms_is_one_error_and_both_forms_read(tmp_path):
    lines = shenzhen_lines()
    # form 1 is lines 1–23, form 2 starts at its title on line 25
    garbage = ["这一行不属于任何表格\t123\t456", "另一行\t也无法识别", ""]
    path = write(tmp_path, "mixed.txt", lines[:24] + garbage + lines[24:46])
    result = read_file(path)
    assert [form.project.name for form in result.forms] == ["深圳市文化广电旅游体育局信息化维护项目", "文化活动预告及文化新闻发布"]
    assert len(result.errors) == 1
    error = result.errors[0]
    assert (error.file, error.line) == (str(path), 25)
    assert str(error).startswith(f"{path}:25: ")
    assert result.forms[1].source.rows == (28, 48)  # line numbers are the new file's


def test_a_titled_region_that_is_no_form_is_an_error_at_its_title(tmp_path):
    lines = shenzhen_lines()
    junk = ["项目支出绩效自评表", "", "随便\t写点\t什么", "再来\t一行", ""]
    path = write(tmp_path, "junk.txt", lines[:24] + junk + lines[24:46])
    result = read_file(path)
    assert len(result.forms) == 2
    assert [(error.line, error.file) for error in result.errors] == [(25, str(path))]
    assert "无法识别" in result.errors[0].message


def test_a_form_without_its_funds_block_is_an_error_and_the_next_form_still_reads(tmp_path):
    lines = shenzhen_lines()
    without_funds = lines[:6] + lines[11:24]  # lines 7–11 (heading and four funds rows) removed
    path = write(tmp_path, "nofunds.txt", without_funds + lines[24:46])
    result = read_file(path)
    assert [form.project.name for form in result.forms] == ["文化活动预告及文化新闻发布"]
    assert [error.line for error in result.errors] == [3]
    assert "年度资金总额" in result.errors[0].message
    assert result.forms[0].source.index == 0


def test_a_form_without_indicator_rows_is_an_error(tmp_path):
    lines = shenzhen_lines()
    path = write(tmp_path, "noindicators.txt", lines[:14] + lines[22:24])
    result = read_file(path)
    assert result.forms == ()
    assert [(error.line, "绩效指标" in error.message) for error in result.errors] == [(3, True)]


def test_a_form_whose_total_row_is_missing_is_read_with_a_note(tmp_path):
    lines = shenzhen_lines()
    path = write(tmp_path, "nototal.txt", lines[:22])
    result = read_file(path)
    assert result.errors == ()
    form = result.forms[0]
    assert (form.total.weight.present, form.total.score.present, len(form.indicators)) == (False, False, 8)
    assert "未找到总分行（表格止于第22行）" in form.notes


def test_forms_back_to_back_without_titles_split_at_each_header(tmp_path):
    lines = shenzhen_lines()
    path = write(tmp_path, "untitled.txt", lines[4:23] + lines[26:45])
    result = read_file(path)
    assert result.errors == ()
    assert [(form.project.name, form.source.rows) for form in result.forms] == [
        ("深圳市文化广电旅游体育局信息化维护项目", (1, 19)),
        ("文化活动预告及文化新闻发布", (20, 38)),
    ]


def test_prose_lines_and_signature_rows_around_forms_are_no_error(tmp_path):
    lines = shenzhen_lines()
    path = write(tmp_path, "prose.txt", ["附件2", ""] + lines[:24] + ["填报人：\t张三\t联系电话：\t12345678", "注：本表金额单位为元。"])
    result = read_file(path)
    assert (len(result.forms), result.errors) == (1, ())


def test_an_empty_file_is_one_error_naming_the_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    result = read_file(path)
    assert result.forms == ()
    assert [(error.file, error.line) for error in result.errors] == [(str(path), None)]


def test_a_binary_file_is_one_error_naming_the_file(tmp_path):
    path = tmp_path / "binary.txt"
    path.write_bytes(bytes(range(256)) * 4)
    result = read_file(path)
    assert result.forms == ()
    assert [error.file for error in result.errors] == [str(path)]


def test_a_text_file_without_any_form_is_one_error(tmp_path):
    path = write(tmp_path, "letter.txt", ["关于开展2022年度绩效自评工作的通知", "各单位：", "请按要求填报。"])
    result = read_file(path)
    assert result.forms == ()
    assert len(result.errors) == 1 and result.errors[0].file == str(path)


def test_a_gb18030_copy_reads_the_same_as_the_utf8_original(tmp_path):
    original = sample("luohu-culture-bureau-2021.txt")
    copy = tmp_path / "luohu-gb18030.txt"
    copy.write_bytes(original.read_text(encoding="utf-8").encode("gb18030"))
    expected, got = read_file(original), read_file(copy)
    assert got.errors == ()
    assert len(got.forms) == 22
    renamed = [replace(form, source=replace(form.source, file=str(original))) for form in got.forms]
    assert renamed == list(expected.forms)


def test_forms_from_grid_reports_errors_with_the_grid_file_and_line():
    grid = grid_from_text("\n".join(["项目支出绩效自评表", "无关\t内容"]), "memory.txt", first_line=100)
    forms, errors = forms_from_grid(grid)
    assert forms == []
    assert [(error.file, error.line) for error in errors] == [("memory.txt", 100)]


SAMPLE_LINES = sorted(
    {line for path in SAMPLES.glob("*.txt") for line in path.read_text(encoding="utf-8").split("\n")}
)
TOKENS = ["", "—", "0.00", "10", "产出指标", "满意度指标", "总分", "项目名称", "序号", "100%", "年度资金总额", "不适用"]
mangled_line = st.one_of(
    st.sampled_from(SAMPLE_LINES),
    st.lists(st.sampled_from(TOKENS), max_size=12).map("\t".join),
    st.text(max_size=30),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(mangled_line, max_size=60))
def test_mangled_sample_rows_never_make_the_layout_readers_raise(lines):
    forms, errors = forms_from_grid(grid_from_text("\n".join(lines), "mangled.txt"))
    assert all(error.file == "mangled.txt" for error in errors)
    assert [form.source.index for form in forms] == list(range(len(forms)))
