"""`jixiao parse` and `jixiao check` as a user runs them: exit codes, output, bad input."""

from __future__ import annotations

import json

from click.testing import CliRunner

from conftest import sample
from jixiao.cli import cli

LUOHU_2021 = "luohu-culture-bureau-2021.txt"
LUOHU_2022 = "luohu-district-office-2022.txt"
SHENZHEN_2021 = "shenzhen-culture-bureau-2021.txt"


def run(*args: str):
    return CliRunner().invoke(cli, [*args], catch_exceptions=False)


def test_check_on_the_luohu_2021_forms_exits_1_because_two_totals_are_wrong():
    result = run("check", str(sample(LUOHU_2021)))
    assert result.exit_code == 1
    assert "宣传文化事业发展专项经费" in result.output
    assert "score.total-mismatch" in result.output
    assert "共 1 个文件、22 张表" in result.output


def test_check_json_prints_one_line_per_form_with_evaluation_and_findings():
    result = run("check", "--json", str(sample(LUOHU_2022)))
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 8
    first = lines[0]
    assert first["schema"] == 1
    assert first["project"]["code"] == "440303210301500001427"
    assert first["evaluation"]["profile"] == "national-2020"
    assert len(first["evaluation"]["indicators"]) == len(first["indicators"])
    assert {"code", "severity", "message", "indicator", "expected", "found"} <= set(first["findings"][0])


def test_parse_json_keeps_printed_values_and_amounts_in_yuan():
    result = run("parse", "--json", str(sample(SHENZHEN_2021)))
    assert result.exit_code == 0
    forms = [json.loads(line) for line in result.stdout.splitlines()]
    assert [form["project"]["name"] for form in forms] == ["深圳市文化广电旅游体育局信息化维护项目", "文化活动预告及文化新闻发布", "信息安全工作"]
    funds = forms[0]["funds"]
    assert funds["total"] == {"initial": 685600.0, "adjusted": 685600.0, "executed": 679600.0}
    assert funds["rate_claimed"] == 0.99 and funds["score_claimed"] == 9.9 and funds["weight"] == 10.0
    assert forms[0]["total"] == {"weight_claimed": 100.0, "score_claimed": 97.9}
    assert "evaluation" not in forms[0]


def test_the_profile_option_scores_every_form_under_that_profile():
    result = run("check", "--json", "--profile", "national-2020", str(sample(SHENZHEN_2021)))
    profiles = {json.loads(line)["evaluation"]["profile"] for line in result.stdout.splitlines()}
    assert profiles == {"national-2020"}


def test_a_local_profile_file_inherits_the_keys_it_leaves_out(tmp_path):
    local = tmp_path / "local.yaml"
    local.write_text("name: local-strict\nversion: 1\ninherits: national-2020\nthresholds: {low_execution: 0.95, big_adjustment: 0.5}\n", encoding="utf-8")
    result = run("check", "--json", "--profile", str(local), str(sample(SHENZHEN_2021)))
    forms = [json.loads(line) for line in result.stdout.splitlines()]
    assert {form["evaluation"]["profile"] for form in forms} == {"local-strict"}
    # 679,600 / 685,600 = 99.1% passes at 95%; all three forms were scored
    assert len(forms) == 3


def test_an_unknown_profile_is_a_usage_error_naming_the_choices():
    result = run("check", "--profile", "nowhere", str(sample(SHENZHEN_2021)))
    assert result.exit_code == 2
    assert "shenzhen-2021" in result.output


def test_an_unreadable_file_exits_2_and_the_good_file_is_still_checked(tmp_path):
    broken = tmp_path / "scan.txt"
    broken.write_bytes(b"\x00\x01\x02\xff\xfe binary \x00")
    result = run("check", "--json", str(broken), str(sample(SHENZHEN_2021)))
    assert result.exit_code == 2
    assert len(result.stdout.splitlines()) == 3
    assert "scan.txt" in result.stderr
    assert "Traceback" not in result.output


def test_a_region_matching_no_layout_is_named_by_line_and_the_other_forms_survive(tmp_path):
    text = sample(SHENZHEN_2021).read_text(encoding="utf-8").split("\n")
    # Replace the second form's funds and indicator rows (lines 25–45) with noise.
    garbled = text[:26] + ["随便写的一行\t没有表格"] * 19 + text[45:]
    path = tmp_path / "garbled.txt"
    path.write_text("\n".join(garbled), encoding="utf-8")
    result = run("parse", "--json", str(path))
    assert result.exit_code == 2
    names = [json.loads(line)["project"]["name"] for line in result.stdout.splitlines()]
    assert "深圳市文化广电旅游体育局信息化维护项目" in names and "信息安全工作" in names
    assert "garbled.txt:" in result.stderr


def test_parse_grid_shows_the_cells_with_their_line_numbers():
    result = run("parse", "--grid", str(sample(SHENZHEN_2021)))
    assert result.exit_code == 0
    assert "    8  ⇥ 年度资金总额 ⇥ 685600.00" in result.output


def test_profiles_lists_the_shipped_rule_sets():
    result = run("profiles")
    assert result.exit_code == 0
    for name in ("national-2020", "shenzhen-2021", "hubei"):
        assert name in result.output
