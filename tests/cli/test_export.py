"""`jixiao export` and `jixiao template` as a user runs them: files written, names, exit codes."""

from __future__ import annotations

import json

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from conftest import sample
from jixiao import services
from jixiao.cli import cli

LUOHU_2021 = "luohu-culture-bureau-2021.txt"
LUOHU_2022 = "luohu-district-office-2022.txt"
SHENZHEN_2021 = "shenzhen-culture-bureau-2021.txt"
SUMMARY = "longgang-industry-center-2020-summary.txt"


def run(*args: str):
    return CliRunner().invoke(cli, [*args], catch_exceptions=False)


def parsed(*paths) -> list[dict]:
    """`jixiao parse --json` of the files, without source, line numbers and notes."""
    forms = [json.loads(line) for line in run("parse", "--json", *map(str, paths)).stdout.splitlines()]
    for form in forms:
        del form["source"]
        form.pop("notes", None)
        for indicator in form["indicators"]:
            del indicator["line"]
    return forms


@pytest.mark.parametrize("to", ["xlsx", "docx", "pdf"])
def test_export_writes_one_file_per_form_that_parse_reads_back_to_the_same_json(tmp_path, to):
    result = run("export", str(sample(SHENZHEN_2021)), "--to", to, "--out", str(tmp_path / "导出"))
    names = [line.rsplit("/", 1)[-1] for line in result.stdout.splitlines()]
    assert names == [f"1-深圳市文化广电旅游体育局信息化维护项目.{to}", f"2-文化活动预告及文化新闻发布.{to}", f"3-信息安全工作.{to}"]
    written = [tmp_path / "导出" / name for name in names]
    assert parsed(*written) == parsed(sample(SHENZHEN_2021))


def test_export_exits_as_check_does(tmp_path):
    # luohu 2021 prints two wrong totals: check exits 1, and so does export.
    check = run("check", str(sample(LUOHU_2021)))
    export = run("export", str(sample(LUOHU_2021)), "--to", "xlsx", "--out", str(tmp_path))
    assert (check.exit_code, export.exit_code) == (1, 1)
    assert len(list(tmp_path.glob("*.xlsx"))) == 22
    assert sorted(tmp_path.glob("*.xlsx"))[0].name == "01-干部健康管理.xlsx"  # numbered to sort in order


def test_exported_workbooks_carry_the_findings_of_check(tmp_path):
    run("export", str(sample(LUOHU_2021)), "--to", "xlsx", "--out", str(tmp_path))
    workbook = openpyxl.load_workbook(tmp_path / "01-干部健康管理.xlsx")
    assert workbook.sheetnames == ["干部健康管理", "审核意见"]
    codes = {row[2] for row in workbook["审核意见"].iter_rows(min_row=3, values_only=True)}
    findings = json.loads(run("check", "--json", str(sample(LUOHU_2021))).stdout.splitlines()[0])["findings"]
    assert codes == {finding["code"] for finding in findings}


def test_export_in_the_other_layout(tmp_path):
    run("export", str(sample(LUOHU_2022)), "--to", "xlsx", "--out", str(tmp_path), "--layout", "2021")
    result = json.loads(run("parse", "--json", str(tmp_path / "1-干部健康管理.xlsx")).stdout.splitlines()[0])
    assert result["source"]["layout"] == "form-2021"
    assert result["funds"]["rate_claimed"] == pytest.approx(0.597)


def test_summary_rows_are_not_exported_and_are_named(tmp_path):
    result = run("export", str(sample(SUMMARY)), "--to", "xlsx", "--out", str(tmp_path))
    assert list(tmp_path.iterdir()) == []
    assert "未导出（部门汇总表的行，不是自评表）：办公设备购置" in result.stderr


def test_export_refuses_an_output_path_that_is_a_file(tmp_path):
    blocker = tmp_path / "out"
    blocker.write_text("")
    result = run("export", str(sample(LUOHU_2022)), "--to", "xlsx", "--out", str(blocker))
    assert result.exit_code == 2
    assert "is a file" in result.output or "是文件" in result.output


def test_file_names_are_made_safe_for_every_file_system():
    assert services.safe_file_name('文化/体育:市场*执法?"<>|') == "文化_体育_市场_执法"  # separators and a trailing "_" trimmed
    assert services.safe_file_name("..") == "自评表"
    assert len(services.safe_file_name("长" * 200)) == 60


def test_template_writes_a_blank_form_with_the_profile_weights(tmp_path):
    path = tmp_path / "模板.xlsx"
    result = run("template", "--layout", "2021", "--to", "xlsx", "--out", str(path), "--profile", "hubei")
    assert result.exit_code == 0 and result.stdout.strip() == str(path)
    values = [value for row in openpyxl.load_workbook(path).active.iter_rows(values_only=True) for value in row if value]
    assert "产出指标(40分)" in values and "效益指标" in values
    assert not any(str(value).startswith("产出指标(50") for value in values)


def test_template_without_a_profile_takes_the_layouts_default(tmp_path):
    path = tmp_path / "模板.docx"
    assert run("template", "--layout", "2022", "--to", "docx", "--out", str(path)).exit_code == 0
    texts = {cell.text for table in docx.Document(path).tables for row in table.rows for cell in row.cells}
    assert {"产出(50分)", "效益(30分)", "满意度(10分)"} <= texts  # national-2020, the 2022 default


def test_template_with_an_unknown_profile_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(cli, ["template", "--layout", "2022", "--out", str(tmp_path / "x.xlsx"), "--profile", "nowhere"])
    assert result.exit_code == 2
    assert "nowhere" in result.output


def test_an_unreadable_file_is_reported_and_the_others_are_exported(tmp_path):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a zip")
    result = run("export", str(broken), str(sample(SHENZHEN_2021)), "--to", "docx", "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "broken.xlsx" in result.stderr
    assert len(list((tmp_path / "out").glob("*.docx"))) == 3
