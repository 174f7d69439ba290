"""`jixiao report` as a user runs it: drafting from forms, checking a report, the judgement file."""

from __future__ import annotations

import json

import yaml
from click.testing import CliRunner
from conftest import sample
from docx import Document

from jixiao.cli import cli

LUOHU_2022 = "luohu-district-office-2022.txt"
REPORT = "longgang-special-fund-2022-report.txt"


def run(*args: str):
    return CliRunner().invoke(cli, [*args], catch_exceptions=False)


def test_check_on_the_sample_report_exits_1_and_names_the_cost_saving_rate():
    result = run("report", "--check", str(sample(REPORT)))
    assert result.exit_code == 1
    assert "✗ report.formula “成本节约率”按“成本节约率=[(计划成本-实际成本)/计划成本]×100%”计算应为0%，报告为100%" in result.output
    assert "以预算资金8140万元为计划成本时为0.37%" in result.output
    assert "? report.formula 无法判定：报告正文未给出“质量达标率”的计算数据" in result.output


def test_check_json_prints_the_report_and_its_findings():
    result = run("report", "--check", str(sample(REPORT)), "--json")
    data = json.loads(result.stdout)
    assert data["kind"] == "report"
    assert data["total_claimed"] == 96.98
    assert [(f["code"], f["outcome"]) for f in data["findings"]] == [
        ("report.formula", "fail"), ("report.formula", "undetermined")
    ]
    assert data["findings"][0]["evidence"]["row"] == 260  # the 成本节约率 row of the 附表


def test_check_of_a_text_without_a_framework_table_exits_2(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("一、基本情况\n\n没有附表。\n", encoding="utf-8")
    result = run("report", "--check", str(path))
    assert result.exit_code == 2
    assert "没有找到评价指标体系表" in result.output


def test_the_template_lists_every_scoring_point_marked_met():
    data = yaml.safe_load(run("report", "--template").output)
    assert len(data["indicators"]) == 9
    assert data["indicators"]["立项依据充分性"]["points"] == {1: "met", 2: "met", 3: "met", 4: "met", 5: "met"}


def test_drafting_writes_the_docx_and_says_what_is_left_to_judge(tmp_path):
    out = tmp_path / "报告.docx"
    result = run("report", str(sample(LUOHU_2022)), "--out", str(out))
    assert result.exit_code == 0
    assert Document(str(out)).tables[-1].rows[0].cells[2].text == "三级指标"
    assert "暂不评级" in result.output
    assert "? 立项依据充分性（待评分）：待评价人逐条评分" in result.output
    assert "? 成本节约率（建议得分 10，待确认）" in result.output


def test_a_deduction_without_a_reason_stops_the_draft_with_exit_2(tmp_path):
    judgement = tmp_path / "评分.yaml"
    judgement.write_text("indicators:\n  预算编制科学性:\n    points: {1: met, 2: met, 3: met, 4: {met: false}}\n", encoding="utf-8")
    result = run("report", str(sample(LUOHU_2022)), "--judgement", str(judgement), "--out", str(tmp_path / "a.docx"))
    assert result.exit_code == 2
    assert "✗ “预算编制科学性”的评分点④未达到，须写明扣分理由（reason）" in result.output
    assert not (tmp_path / "a.docx").exists()


def test_a_funds_file_replaces_the_forms_categories(tmp_path):
    funds = tmp_path / "资金.yaml"
    funds.write_text(
        "unit: 万元\nsubject: 办公经费\ncategories:\n  - {name: 日常运转类, budget: 300, arrived: 280, spent: 270}\n"
        "  - {name: 专项业务类, budget: 264.585, spent: 198.5704}\n",
        encoding="utf-8",
    )
    result = run("report", str(sample(LUOHU_2022)), "--funds", str(funds), "--json")
    data = json.loads(result.stdout)
    assert data["title"] == "2022年度办公经费绩效评价报告"
    assert [c["name"] for c in data["categories"]] == ["日常运转类", "专项业务类"]
    arrival = next(item for item in data["assessment"]["indicators"] if item["name"] == "资金到位率")
    assert arrival["achieved"] == "96.46%"  # (280 + 264.585) ÷ (300 + 264.585) = 544.585 ÷ 564.585


def test_report_needs_files_or_the_store_and_an_output():
    assert run("report").exit_code == 2
    assert run("report", str(sample(LUOHU_2022))).exit_code == 2
