"""`jixiao summary`: a department summary table from files or from the store."""

from __future__ import annotations

import json
from decimal import Decimal

from click.testing import CliRunner
from conftest import sample
from storage_conftest import (  # noqa: F401  (fixtures)
    database_url,
    postgres_databases,
    postgres_template,
    sqlite_template,
)

from jixiao.cli import cli
from jixiao.readers import read_file

LUOHU_2022 = "luohu-district-office-2022.txt"
UNIT = "深圳市罗湖区委（政府）办本级"
TITLE = f"2022年{UNIT}部门预算项目绩效自评表"


def run(*arguments: str):
    return CliRunner().invoke(cli, list(arguments))


def test_summary_writes_an_xlsx_of_one_row_per_form(tmp_path):
    out = tmp_path / "汇总表.xlsx"
    result = run("summary", str(sample(LUOHU_2022)), "--to", "xlsx", "--out", str(out))
    # warnings only (low execution, vague targets): no error finding
    assert result.exit_code == 0, result.output
    assert f"{out}：{TITLE}，8 个项目，审核意见" in result.output
    back = read_file(out)
    assert back.errors == ()
    assert [form.project.name for form in back.forms][:2] == ["干部健康管理", "档案管理事务"]
    assert back.forms[0].funds.total.executed.text == "6.4531"  # 64531 元 in 万元


def test_the_format_follows_the_extension_and_the_unit_can_be_yuan(tmp_path):
    out = tmp_path / "汇总表.docx"
    result = run("summary", str(sample(LUOHU_2022)), "--out", str(out), "--unit", "元")
    assert result.exit_code == 0, result.output
    first = read_file(out).forms[0]
    assert (first.funds.unit, first.funds.total.adjusted.value) == ("元", Decimal("108000.00"))


def test_the_title_takes_the_department_and_year_given(tmp_path):
    out = tmp_path / "s.xlsx"
    result = run("summary", str(sample(LUOHU_2022)), "--out", str(out), "--department", "罗湖区委办", "--year", "2023")
    assert "2023年罗湖区委办部门预算项目绩效自评表" in result.output


def test_json_gives_amounts_in_yuan_with_their_source_lines_and_findings():
    result = run("summary", str(sample(LUOHU_2022)), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["title"], data["unit"], len(data["rows"])) == (TITLE, "万元", 8)
    first = data["rows"][0]
    assert (first["project"], first["budget"], first["spent"]) == ("干部健康管理", 108000.0, 64531.0)
    assert first["lines"]["budget"] == [9]
    low = next(finding for finding in first["findings"] if finding["code"] == "funds.low-execution")
    assert low["evidence"]["file"].endswith(LUOHU_2022)
    vague = next(finding for finding in first["findings"] if finding["code"] == "target.vague")
    assert (vague["column"], vague["name"], vague["evidence"]["row"]) == ("质量指标", "处级以上干部健康管理品质", 19)
    assert data["charts"]["execution"][0] == {"project": "干部健康管理", "rate": 59.75}


def test_error_findings_give_exit_status_1_and_the_file_is_still_written(tmp_path):
    out = tmp_path / "longgang.xlsx"
    # the sample summary restates targets as outcomes (actual.missing, an error)
    result = run("summary", str(sample("longgang-industry-center-2020-summary.txt")), "--out", str(out))
    assert result.exit_code == 1
    assert out.is_file()


def test_an_unreadable_file_is_reported_and_the_others_summarised(tmp_path):
    broken = tmp_path / "broken.txt"
    broken.write_text("这不是自评表\t\n", encoding="utf-8")
    out = tmp_path / "s.xlsx"
    result = run("summary", str(sample(LUOHU_2022)), str(broken), "--out", str(out))
    assert result.exit_code == 2
    assert "broken.txt" in result.output
    assert len(read_file(out).forms) == 8


def test_files_or_the_store_but_not_neither():
    result = run("summary", "--out", "x.xlsx")
    assert result.exit_code == 2
    assert "请给出自评表文件，或用 --db 从数据库汇总" in result.output


def test_the_store_needs_a_year():
    result = run("summary", "--db", "--out", "x.xlsx")
    assert result.exit_code == 2
    assert "须指定 --year" in result.output


def test_an_output_file_or_json_is_needed():
    result = run("summary", str(sample(LUOHU_2022)))
    assert result.exit_code == 2
    assert "--out" in result.output


def test_summary_from_the_store_takes_the_department_and_year(database_url, tmp_path):
    imported = run("import", str(sample(LUOHU_2022)), str(sample("shenzhen-culture-bureau-2021.txt")), "--database", database_url)
    assert imported.exit_code == 0, imported.output
    out = tmp_path / "store.xlsx"

    result = run("summary", "--db", "--year", "2022", "--department", UNIT, "--out", str(out), "--database", database_url)

    assert result.exit_code == 0, result.output
    assert f"{TITLE}，8 个项目" in result.output
    forms = read_file(out).forms
    assert {form.project.name for form in forms} == {
        "干部健康管理", "档案管理事务", "离退休干部管理和服 务", "疫情防控工作经历", "行政运行", "秘书处业务", "办文办会事务", "督查及绩效事务",
    }  # fmt: skip
    assert {form.project.implementing_unit for form in forms} == {UNIT}
    budgets = {form.project.name: form.funds.total.adjusted.value for form in forms}
    assert budgets["秘书处业务"] == Decimal("1902800")  # line 143, 190.28 万元


def test_summary_from_the_store_of_an_unknown_department_is_an_error(database_url, tmp_path):
    result = run("summary", "--db", "--year", "2022", "--department", "没有这个部门", "--out", str(tmp_path / "x.xlsx"), "--database", database_url)
    assert result.exit_code == 1
    assert "没有名称、编码或编号为“没有这个部门”的单位" in result.output
