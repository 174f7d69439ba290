"""The registry is the catalogue of checks.md §1–§9: every code once, as the doc defines it."""

from __future__ import annotations

import re

from jixiao.checks.base import REGISTRY, Scope, Severity
from jixiao.checks.review import catalogue  # importing review registers every section module

# (code, severity, scopes, message template), copied from checks.md §1–§9 in its order.
CATALOGUE = [
    ("funds.rate-mismatch", "error", "FS", "执行率填报{found}，按全年执行数÷全年预算数计算为{expected}"),
    ("funds.score-mismatch", "error", "F", "预算执行率得分填报{found}，应为{expected}（分值{w}×执行率）"),
    ("funds.subtotal-mismatch", "error", "F", "{列}：当年财政拨款+上年结转资金+其他资金={sum}，与年度资金总额{total}不符"),
    ("funds.over-budget", "error", "FS", "全年执行数{B}超过全年预算数{A}，执行率{rate}"),
    ("funds.zero-budget", "error", "F", "全年预算数为0，执行率无法计算，却填报执行数{B}或得分{found}"),
    ("funds.low-execution", "warning", "FS", "预算执行率{rate}低于{threshold}，请说明原因并核实产出、成本指标得分"),
    ("funds.big-adjustment", "warning", "F", "全年预算数{A}较年初预算数{A0}变动{pct}，请说明预算调整原因"),
    ("weights.total", "error", "F", "分值合计{sum}（含预算执行率分值{wf}），应为100"),
    ("weights.level1", "error", "F", "一级指标“{level1}”标注{claimed}分，下属指标分值合计{sum}"),
    ("weights.profile", "warning", "F", "一级指标权重{actual}与规则配置{profile}的{expected}不一致"),
    ("score.over-weight", "error", "F", "“{name}”得分{found}超出分值{weight}或为负数"),
    ("score.total-mismatch", "error", "F", "总分填报{found}，预算执行率得分与各指标得分合计为{expected}"),
    ("score.na-weighted", "error", "F", "“{name}”为不适用指标（{target}），分值和得分应为0，填报为{weight}/{found}"),
    ("score.formula", "error", "F", "“{name}”按{rule}计算应得{expected}分，填报{found}分"),
    ("score.unmet-full", "error", "F", "“{name}”未达到指标值（{target}→{actual}）却得满分{weight}"),
    ("score.qual-band", "error", "F", "定性指标“{name}”完成情况属“{band}”，得分应在{lo}–{hi}之间，填报{found}"),
    ("grade.mismatch", "error", "FR", "总分{total}对应等级应为“{expected}”，填报为“{found}”"),
    ("target.vague", "warning", "FS", "指标“{name}”的指标值“{target}”不可衡量，建议量化"),
    ("target.missing", "error", "FS", "指标“{name}”缺少有效的年度指标值（“{target}”）"),
    ("target.multi", "warning", "FS", "指标“{name}”一个指标含{n}个指标值，请拆分为单独指标"),
    ("target.direction", "warning", "F", "指标“{name}”方向“{op}”与指标性质（{reason}）不符"),
    ("target.low", "warning", "F", "“{name}”完成值为指标值的{ratio}倍，指标值可能设定偏低"),
    ("indicator.category", "warning", "F", "指标“{name}”（{target}）不宜作为“{level2}”指标：{reason}"),
    ("indicator.duplicate", "warning", "F", "指标名称“{name}”在本表重复{n}次"),
    ("indicator.missing-kind", "warning", "FS", "{level1}下缺少“{level2}”指标（或仅填不适用）"),
    ("actual.missing", "error", "FS", "指标“{name}”未填写有效实际完成值（“{actual}”）"),
    ("actual.unit-mismatch", "warning", "FS", "实际完成值“{actual}”与指标值“{target}”口径不一致：{reason}"),
    ("inflation.low-exec-full-output", "warning", "F", "预算执行率仅{rate}，数量指标却全部得满分，请核实产出完成情况"),
    (
        "inflation.cost-underspend",
        "warning",
        "F",
        "成本指标“{name}”以未支出资金得满分（执行率{rate}，完成值{actual}），结余不等于节约",
    ),
    ("inflation.narrative-contradiction", "warning", "FS", "完成情况称“{phrase}”，相关指标“{name}”却得满分"),
    ("inflation.qual-100", "warning", "F", "定性指标“{name}”以“{actual}”填报并得满分，缺少完成情况佐证说明"),
    ("deviation.missing", "error", "F", "“{name}”得分{found}低于分值{weight}，未填写偏差原因分析及改进措施"),
    ("deviation.over-unexplained", "warning", "F", "“{name}”超额完成（{ratio}倍），未说明原因"),
    ("deviation.incomplete", "info", "F", "偏差说明缺少{part}（应同时说明偏差原因和改进措施）"),
    ("deviation.boilerplate", "info", "F", "偏差说明与其他指标或项目雷同：“{snippet}”"),
    ("deviation.claims-none", "warning", "F", "“{name}”完成值{actual}与指标值{target}不一致，却填写“无偏差”"),
    ("report.weights", "error", "R", "指标体系权重合计{sum}（应为100）；“{level1}”下属权重合计{sub}，与其权重{claimed}不符"),
    ("report.total", "error", "R", "综合评价得分填报{found}，各指标得分合计为{expected}"),
    ("report.formula", "error", "R", "“{indicator}”按“{formula}”计算应为{expected}，报告为{found}"),
]


def camel_case(code: str) -> str:
    """`funds.rate-mismatch` → RateMismatch, `inflation.qual-100` → Qual100."""
    return "".join(part[:1].upper() + part[1:] for part in code.split(".")[-1].split("-"))


def test_the_catalogue_lists_no_code_twice():
    codes = [code for code, *_ in CATALOGUE]
    assert len(codes) == len(set(codes)) == 39


def test_the_registry_holds_exactly_the_codes_of_the_catalogue():
    assert sorted(REGISTRY) == sorted(code for code, *_ in CATALOGUE)


def test_every_check_has_the_severity_scopes_and_message_of_checks_md():
    registered = {
        code: (check.severity, check.scopes, check.message) for code, check in REGISTRY.items()
    }
    expected = {
        code: (Severity(severity), frozenset(Scope(letter) for letter in scopes), message)
        for code, severity, scopes, message in CATALOGUE
    }
    assert registered == expected


def test_every_check_class_is_named_after_its_code():
    assert {code: check.__name__ for code, check in REGISTRY.items()} == {
        code: camel_case(code) for code, *_ in CATALOGUE
    }


def test_every_check_lives_in_the_module_of_its_section():
    section_module = {
        "funds": "funds", "weights": "weights", "score": "scores", "grade": "scores", "target": "targets",
        "indicator": "indicators", "actual": "actuals", "inflation": "inflation", "deviation": "deviation",
        "report": "reports",
    }
    for code, check in REGISTRY.items():
        assert check.__module__ == f"jixiao.checks.{section_module[code.split('.')[0]]}", code


def test_a_code_is_lower_case_kebab_after_its_section():
    for code in REGISTRY:
        assert re.fullmatch(r"[a-z]+\.[a-z0-9]+(-[a-z0-9]+)*", code), code


def test_the_report_catalogue_holds_the_report_checks_and_the_grade_check():
    assert {check.code for check in catalogue(Scope.REPORT)} == {
        code for code, _, scopes, _ in CATALOGUE if "R" in scopes
    } == {"report.weights", "report.total", "report.formula", "grade.mismatch"}


def test_the_summary_catalogue_holds_only_checks_scoped_for_summary_rows():
    summary_codes = {check.code for check in catalogue(Scope.SUMMARY)}
    assert summary_codes == {code for code, _, scopes, _ in CATALOGUE if "S" in scopes}
