"""Drafting an evaluation report (绩效评价报告) from its assessment: the framework table and
the narrative, as plain editable text blocks.

The outline follows the Longgang 2022 report (domain.md §6.2): 基本情况 (项目概况, 资金投入和
使用情况, 项目绩效目标), 综合评价情况及评价结论, 绩效评价指标分析, 存在的问题及原因分析 and
有关建议. Every sentence is built from the forms, the fund categories or the evaluator's
judgement; an evaluator replaces any section's text through the judgement file (`sections`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from jixiao.domain.model import Form, Printed, SourceRef
from jixiao.domain.profiles import Profile
from jixiao.domain.report import (
    Assessment,
    IndicatorResult,
    Report,
    ReportInputs,
    ReportRow,
    Section,
    Status,
    in_unit,
    percent,
)
from jixiao.domain.report_inputs import project_name
from jixiao.domain.report_framework import Basis, Framework, Judgement
from jixiao.domain.score_formulas import ZERO, num

ANALYSIS_TITLE = {"决策": "项目决策情况", "过程": "项目过程情况", "产出": "项目产出情况", "效益": "项目效益情况"}
CHINESE_NUMBERS = "一二三四五六七八九十"
NO_DEVIATION = frozenset({"", "无", "无偏差", "无。", "无偏差。", "/", "—"})
# Where a deviation note turns from the cause to the corrective action (checks.md deviation.incomplete).
ACTION_MARK = re.compile(r"(?:改进措施|整改措施|下一步)[:：]?")
CAUSE_PREFIX = re.compile(r"^(?:偏差原因(?:分析)?|原因)[:：]\s*")


@dataclass(frozen=True, slots=True)
class Theme:
    """A kind of cause a deviation note gives, and what the report suggests for it."""

    title: str
    words: tuple[str, ...]
    suggestion: str


# Checked in order: a note about 疫情 that also names a delay is about 疫情.
THEMES = (
    Theme("受疫情等外部因素影响", ("疫情", "防控", "台风", "天气"),
          "充分评估疫情等外部因素对项目实施的影响，预先制定替代方案，及时调整实施方式和绩效目标。"),
    Theme("项目实施进度滞后", ("延期", "推迟", "未能如期", "未如期", "滞后", "进度", "未开展", "未举办", "暂缓", "取消"),
          "加强项目进度管理，实施预算执行进度与绩效目标“双监控”，对滞后事项及时采取应对措施。"),
    Theme("资金拨付与预算执行不到位", ("资金", "预算", "经费", "拨付", "支付", "结余"),
          "科学测算项目预算，加快资金拨付进度，提高预算执行的均衡性和准确性。"),
    Theme("人员配置不足", ("人员", "人才", "招录", "招聘", "离职", "人手"),
          "提前做好人员配置和人才引进计划，保障项目实施力量。"),
    Theme("绩效指标设置不够合理", ("指标值", "指标设置", "目标值", "设置", "测算", "预估", "偏高", "偏低"),
          "结合以往年度完成情况科学设定绩效指标值，做到指标清晰、细化、可衡量。"),
)  # fmt: skip
OTHER = Theme("其他原因", (), "针对未达标指标逐项分析原因，明确责任，落实整改。")
UNEXPLAINED = Theme("未说明偏差原因", (), "未达标的指标应如实填写偏差原因分析及改进措施。")


@dataclass(frozen=True, slots=True)
class Shortfall:
    """A self-evaluation row scored below its weight, with its deviation note split in two."""

    project: str
    name: str
    target: str
    actual: str
    weight: Decimal
    score: Decimal
    cause: str
    action: str


def draft(
    framework: Framework,
    inputs: ReportInputs,
    assessment: Assessment,
    judgement: Judgement,
    profile: Profile,
    source: SourceRef | None = None,
) -> Report:
    """The report: the framework table from the assessment, and the drafted narrative with
    the evaluator's replacement texts applied."""
    title = f"{inputs.year}年度{inputs.subject}绩效评价报告" if inputs.year else f"{inputs.subject}绩效评价报告"
    sections = list(_sections(inputs, assessment, profile))
    replaced = judgement.sections or {}
    sections = [
        replace(section, paragraphs=_paragraphs(replaced[section.key])) if section.key in replaced else section
        for section in sections
    ]
    weights = sum((item.indicator.weight for item in assessment.results), ZERO)
    costs = next((item.costs for item in assessment.results if item.costs is not None), None)
    return Report(
        source=source or SourceRef(file=title, layout="report-draft"),
        title=title,
        organisation=inputs.organisation,
        subject=inputs.subject,
        year=inputs.year,
        date=inputs.date,
        unit=inputs.unit,
        rows=tuple(_row(item, framework) for item in assessment.results),
        table_weight=Printed(num(weights), weights),
        # An incomplete assessment states no total: its sum is of the indicators scored so far.
        table_score=Printed(num(assessment.total), assessment.total) if assessment.complete else Printed("待评"),
        total=Printed(num(assessment.total), assessment.total) if assessment.complete else Printed(""),
        grade_claimed=assessment.grade,
        categories=inputs.categories,
        computations=tuple(item.computation for item in assessment.results if item.computation is not None),
        costs=costs,
        sections=tuple(sections),
        history=inputs.history,
        finding_counts=inputs.finding_counts,
    )


def _row(item: IndicatorResult, framework: Framework) -> ReportRow:
    indicator = item.indicator
    level1_weight = framework.level1_weights.get(indicator.level1, ZERO)
    return ReportRow(
        level1=indicator.level1,
        level2=indicator.level2,
        name=indicator.name,
        weight=Printed(num(indicator.weight), indicator.weight),
        score=Printed(num(item.score), item.score) if item.score is not None else Printed("待评"),
        achieved=item.achieved,
        explanation=indicator.explanation,
        criteria=indicator.criteria,
        level1_text=f"{indicator.level1} ({num(level1_weight)}分)",
        level1_weight=Printed(num(level1_weight), level1_weight),
        name_text=indicator.name,
    )


def _paragraphs(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def _sections(inputs: ReportInputs, assessment: Assessment, profile: Profile) -> Iterator[Section]:
    yield Section("basic", "一、基本情况", 1)
    yield Section("overview", "（一）项目概况", 2, tuple(_overview(inputs)))
    yield Section("funds", "（二）资金投入和使用情况", 2, tuple(_funds(inputs)), chart="execution")
    yield Section("goals", "（三）项目绩效目标", 2, tuple(_goals(inputs.forms)))
    if len(inputs.history) >= 2:
        yield Section("history", "（四）历年情况", 2, tuple(_history(inputs)), chart="history")
    yield Section("conclusion", "二、综合评价情况及评价结论", 1, tuple(_conclusion(inputs, assessment)), chart="composition")
    yield Section("analysis", "三、绩效评价指标分析", 1)
    order: list[str] = []
    for item in assessment.results:
        if item.indicator.level1 not in order:
            order.append(item.indicator.level1)
    for position, level1 in enumerate(order):
        heading = f"（{_ordinal(position + 1)}）{ANALYSIS_TITLE.get(level1, level1 + '情况')}"
        yield Section(f"analysis.{level1}", heading, 2)
        items = [item for item in assessment.results if item.indicator.level1 == level1]
        for number, item in enumerate(items, 1):
            score = "待评" if item.score is None else f"得{num(item.score)}分"
            heading = f"{number}. {item.indicator.name}（指标分值{num(item.indicator.weight)}分，{score}）"
            yield Section(f"indicator.{item.indicator.name}", heading, 3, tuple(_analysis(item, inputs)))
    shortfalls = list(_shortfalls(inputs.forms))
    chart = "findings" if inputs.finding_counts else None
    yield Section("problems", "四、存在的问题及原因分析", 1, tuple(_problems(inputs, shortfalls, profile)), chart=chart)
    yield Section("suggestions", "五、有关建议", 1, tuple(_suggestions(inputs, shortfalls, profile)))


def _ordinal(number: int) -> str:
    """一 … 十 for the numbered items of a section; a larger number as digits."""
    return CHINESE_NUMBERS[number - 1] if 1 <= number <= len(CHINESE_NUMBERS) else str(number)


# --- 基本情况


def _amount(value: Decimal | None, unit: str) -> str:
    return "（未填）" if value is None else f"{num(in_unit(value, unit))}{unit}"


def _rate(spent: Decimal | None, budget: Decimal | None) -> str:
    if spent is None or budget is None or budget <= 0:
        return "无法计算"
    return f"{num(percent(spent / budget, 2))}%"


def _unit_of(form: Form) -> str:
    project = form.project
    return project.implementing_unit or project.budget_unit or project.department or "（未填）"


def _overview(inputs: ReportInputs) -> Iterator[str]:
    who = inputs.organisation or ""
    yield (
        f"本次评价对象为{who}{inputs.year or ''}{'年度' if inputs.year else ''}{inputs.subject}，"
        f"涉及{len(inputs.forms)}个子项目（二级项目），资金分为{len(inputs.categories)}类。"
        "评价依据各子项目的项目支出绩效自评表，各子项目及其实施单位如下："
    )
    for number, form in enumerate(inputs.forms, 1):
        yield f"{number}. {project_name(form)}（实施单位：{_unit_of(form)}）。"


def _funds(inputs: ReportInputs) -> Iterator[str]:
    unit = inputs.unit
    budget, arrived, spent = inputs.total("budget"), inputs.total("arrived"), inputs.total("spent")
    yield (
        f"{inputs.subject}调整后预算金额{_amount(budget, unit)}，实际到位{_amount(arrived, unit)}，"
        f"支出{_amount(spent, unit)}，执行率{_rate(spent, arrived)}。具体如下："
    )
    for position, category in enumerate(inputs.categories, 1):
        end = "。" if position == len(inputs.categories) else "；"
        yield (
            f"{category.name}调整后预算金额{_amount(category.budget.value, unit)}，"
            f"支出{_amount(category.spent.value, unit)}，执行率{_rate(category.spent.value, category.arrived.value)}{end}"
        )
    notes = sorted({category.note for category in inputs.categories if category.note})
    yield from notes


def _goals(forms: Sequence[Form]) -> Iterator[str]:
    if not forms:
        yield "未提供子项目自评表。"
    for number, form in enumerate(forms, 1):
        goal = (form.goals.expected or "自评表未填写预期目标").replace("\n", "")
        yield f"{number}. {project_name(form)}：{goal}"


def _history(inputs: ReportInputs) -> Iterator[str]:
    for year in sorted(inputs.history, key=lambda item: item.year):
        score = f"，自评平均得分{num(year.mean_score)}分" if year.mean_score is not None else ""
        yield (
            f"{year.year}年：自评表{year.forms}张，预算{_amount(year.budget, inputs.unit)}，"
            f"支出{_amount(year.spent, inputs.unit)}，执行率{_rate(year.spent, year.budget)}{score}。"
        )


# --- 综合评价 and 指标分析


def _conclusion(inputs: ReportInputs, assessment: Assessment) -> Iterator[str]:
    total = num(assessment.total)
    if assessment.complete:
        yield f"经评价，{inputs.subject}综合评价得分{total}分，评价等级为“{assessment.grade or '未评级'}”，具体情况见附表。"
    else:
        waiting = "、".join(item.indicator.name for item in assessment.results if item.score is None)
        yield f"尚有指标待评价人评分（{waiting}），已评指标得分合计{total}分，暂不评定等级。"
    parts = [f"{name}{num(weight)}分，得{num(score)}分" for name, weight, score in assessment.by_level1()]
    yield "其中" + "；".join(parts) + "。"
    lost = [item for item in assessment.results if item.lost]
    if lost:
        yield "扣分指标：" + "、".join(f"{item.indicator.name}（扣{num(item.lost or ZERO)}分）" for item in lost) + "。"
    manual = [item.indicator.name for item in assessment.results if item.status is Status.MANUAL]
    if manual:
        yield f"{'、'.join(manual)}的得分为按默认口径计算的建议值，须评价人确认。"


def _analysis(item: IndicatorResult, inputs: ReportInputs) -> Iterator[str]:
    indicator = item.indicator
    if indicator.basis is Basis.JUDGEMENT:
        yield from _judged_text(item)
    elif indicator.basis is Basis.ROLLUP:
        yield from _rollup_text(item)
    elif indicator.basis is Basis.COST_SAVING:
        yield from _cost_text(item, inputs.unit)
    elif item.computation is not None:
        computation = item.computation
        unit = computation.unit
        said = (
            f"{indicator.name}=（{num(computation.numerator[0])}{unit}/{num(computation.denominator[0])}{unit}）"
            f"×100%={computation.result.text}，{num(indicator.weight)}分×{computation.result.text}，"
            f"得{computation.score.text}分"
        )
        yield said + (f"，扣{num(item.lost)}分。" if item.lost else "。")
        notes = sorted({category.note for category in inputs.categories if category.note})
        if indicator.basis is Basis.ARRIVAL_RATE:
            yield from notes
    else:
        yield f"无法计算：{item.explain}。"
    if item.comment and indicator.basis is not Basis.JUDGEMENT:
        yield item.comment
    if item.status is Status.JUDGED and indicator.basis is not Basis.JUDGEMENT:
        yield f"{item.explain}。"


def _judged_text(item: IndicatorResult) -> Iterator[str]:
    if item.comment:
        yield item.comment
    for deduction in item.deductions:
        if deduction.point is not None:
            point = deduction.point
            yield f"{point.mark}{point.text}（{num(point.points)}分）：未达到，扣{num(deduction.amount)}分。理由：{deduction.reason}"
        else:
            yield f"扣{num(deduction.amount)}分。理由：{deduction.reason}"
    if item.status is Status.UNDETERMINED:
        yield f"待评价人评分（{item.explain}），评分要点见附表。"
    elif not item.deductions and not item.comment:
        yield f"经评价，{len(item.indicator.points)}个评分点均符合要求。"


def _rollup_text(item: IndicatorResult) -> Iterator[str]:
    computation = item.computation
    if computation is None:
        yield f"无法计算：{item.explain}。"
        return
    kind = item.indicator.rows
    projects: dict[str, list] = {}
    for part in item.contributions:
        projects.setdefault(part.project, []).append(part)
    for project, parts in projects.items():
        listed = "；".join(f"{part.name}：计划{part.target}，实际完成{part.actual}" for part in parts)
        weight = sum((part.weight for part in parts), ZERO)
        score = sum((part.score for part in parts), ZERO)
        yield f"{project}{kind}指标：{listed}。（根据二级项目绩效自评表内对应指标情况，分值{num(weight)}分，得分{num(score)}分）"
    above = "+".join(num(value) for value in computation.numerator)
    below = "+".join(num(value) for value in computation.denominator)
    said = (
        f"综上，{item.indicator.name}=[({above})/({below})]×100%={computation.result.text}，"
        f"得{computation.score.text}分"
    )
    yield said + (f"，扣{num(item.lost)}分。" if item.lost else "。")
    if "得分缺失" in item.explain:
        yield item.explain.split("；", 1)[1] + "。"


def _cost_text(item: IndicatorResult, unit: str) -> Iterator[str]:
    costs = item.costs
    if costs is None:
        yield f"无法计算：{item.explain}。"
        return
    planned, actual = f"{costs.planned.text}{unit}", f"{costs.actual.text}{unit}"
    yield f"项目计划成本{planned}，实际成本{actual}。成本节约率=[（{planned}−{actual}）/{planned}]×100%={item.achieved}。"
    if item.status is Status.MANUAL:
        yield f"{item.explain.split('；', 1)[1]}，暂计{num(item.score or ZERO)}分。"


# --- 存在的问题 and 建议


def _shortfalls(forms: Sequence[Form]) -> Iterator[Shortfall]:
    for form in forms:
        project = project_name(form)
        for row in form.indicators:
            weight, score = row.weight.value, row.score.value
            if not row.applicable or weight is None or score is None or weight <= 0 or score >= weight:
                continue
            note = " ".join((row.deviation or "").split())
            cause, action = note, ""
            mark = ACTION_MARK.search(note)
            if mark:
                cause, action = note[: mark.start()], note[mark.end() :]
            cause = CAUSE_PREFIX.sub("", cause.strip(" ；;。")).strip()
            if note in NO_DEVIATION:
                cause = ""
            yield Shortfall(project, row.name or "", row.target, row.actual, weight, score, cause, action.strip(" ；;"))


def _theme(shortfall: Shortfall) -> Theme:
    if not shortfall.cause:
        return UNEXPLAINED
    return next((theme for theme in THEMES if any(word in shortfall.cause for word in theme.words)), OTHER)


def _grouped(shortfalls: Sequence[Shortfall]) -> dict[Theme, list[Shortfall]]:
    groups: dict[Theme, list[Shortfall]] = {}
    for shortfall in shortfalls:
        groups.setdefault(_theme(shortfall), []).append(shortfall)
    order = (*THEMES, OTHER, UNEXPLAINED)
    return {theme: groups[theme] for theme in order if theme in groups}


def _problems(inputs: ReportInputs, shortfalls: Sequence[Shortfall], profile: Profile) -> Iterator[str]:
    number = 0
    for theme, items in _grouped(shortfalls).items():
        number += 1
        listed = "；".join(
            f"{item.project}“{item.name}”（{item.target}→{item.actual}，得{num(item.score)}/{num(item.weight)}分）"
            for item in items
        )
        causes = list(dict.fromkeys(item.cause for item in items if item.cause))
        said = f"（{_ordinal(number)}）{theme.title}。涉及{len(items)}项指标：{listed}。"
        if causes:
            said += "原因：" + "；".join(causes) + "。"
        yield said
    low = [
        category for category in inputs.categories
        if category.arrived.value and category.spent.value is not None
        and category.spent.value / category.arrived.value < profile.low_execution
    ]  # fmt: skip
    for category in low:
        number += 1
        rate = _rate(category.spent.value, category.arrived.value)
        threshold = num(percent(profile.low_execution, 0))
        yield f"（{_ordinal(number)}）{category.name}预算执行率{rate}，低于{threshold}%。"
    if inputs.finding_counts:
        count = sum(inputs.finding_counts.values())
        errors = f"，其中{inputs.forms_with_errors}张存在得分计算或一致性错误" if inputs.forms_with_errors else ""
        yield f"经复核，{len(inputs.forms)}张子项目自评表共有审核问题{count}项{errors}，按问题编码统计见下图。"
    if number == 0 and not inputs.finding_counts:
        yield "各子项目自评表的指标均达到年度指标值，预算执行正常，未发现需要说明的问题。"


def _suggestions(inputs: ReportInputs, shortfalls: Sequence[Shortfall], profile: Profile) -> Iterator[str]:
    groups = _grouped(shortfalls)
    advice = [theme.suggestion for theme in groups]
    if any(
        category.arrived.value and category.spent.value is not None
        and category.spent.value / category.arrived.value < profile.low_execution
        for category in inputs.categories
    ):  # fmt: skip
        advice.append(THEMES[2].suggestion)
    if inputs.forms_with_errors:
        advice.append(
            f"加强自评表审核把关：复核发现{inputs.forms_with_errors}张自评表存在得分计算或一致性错误，"
            "主管部门在汇总前应逐表核对执行率、指标得分和总分。"
        )
    advice = list(dict.fromkeys(advice)) or ["继续加强预算绩效管理，巩固评价成果，做好绩效目标设定与运行监控。"]
    for number, text in enumerate(advice, 1):
        yield f"（{_ordinal(number)}）{text}"
    actions = list(dict.fromkeys(item.action.rstrip("。；;") for items in groups.values() for item in items if item.action))
    if actions:
        yield "各子项目单位提出的改进措施：" + "；".join(actions) + "。"
