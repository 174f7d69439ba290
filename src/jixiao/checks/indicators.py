"""Checks of indicator design (指标设置): checks.md §5.

Whether an indicator sits in the right category (二级指标), appears twice, and whether the form
sets every kind of indicator its profile requires (`required_kinds`, scoring.md §7).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from jixiao.checks.base import Check, Context, Result, Scope, Severity, register
from jixiao.checks.rows import MISALIGNED, cells, fold, is_count, judge_rows, label, with_suffix
from jixiao.domain.grammar import Kind, ParsedValue, is_money
from jixiao.domain.labels import LEVEL2_OF, PARENT_OF
from jixiao.domain.model import Indicator
from jixiao.domain.scoring import IndicatorEvaluation
from jixiao.domain.units import DURATION_UNITS

FORM = frozenset({Scope.FORM})
FORM_AND_SUMMARY = frozenset({Scope.FORM, Scope.SUMMARY})

# (a) Process rates and budget phrases that do not measure a cost (checks.md indicator.category).
COST_PROCESS_WORDS = ("下达", "支出进度", "到位率", "执行率", "偏差率")
_COST_PROCESS = re.compile("|".join(COST_PROCESS_WORDS))
_BUDGET_PHRASE = re.compile(r"控制在.{0,4}预算|预算.{0,3}控制|不超过.{0,2}预算")
# (b) Words that give a 时效 indicator its time element when the target itself has none.
TIME_WORDS = ("及时", "按时", "时间", "时限", "时效", "期限", "期内", "期间", "时长", "用时", "周期", "当天", "当日")
_TIME_WORD = re.compile("|".join(TIME_WORDS))
# (c) Rates that do not belong under 数量.
RATE_WORDS = ("覆盖率", "完成率", "到位率")
_RATE_WORD = re.compile("|".join(RATE_WORDS))
# (d) 满意度 measured by complaints.
COMPLAINT_WORD = "投诉"

TIME_KINDS = frozenset({Kind.DEADLINE, Kind.PERIOD})
OUTPUTS = frozenset(LEVEL2_OF["产出"])
BENEFITS = frozenset(LEVEL2_OF["效益"])
SATISFACTION = frozenset(LEVEL2_OF["满意度"])
COSTS = frozenset(LEVEL2_OF["成本"])
COST_KINDS = ("成本", *LEVEL2_OF["成本"])  # what counts as a 成本 indicator under 产出

# The summary table has only these 二级 columns (domain.md §6.1): no 成本, no 可持续影响.
SUMMARY_LEVEL2 = frozenset({"数量", "质量", "时效", "经济效益", "社会效益", "生态效益", "满意度"})
# `required_kinds` values other than a list (scoring.md §7).
ANY_APPLICABLE = "any_applicable"
ANY = "any"


def category_of(row: Indicator) -> str | None:
    """The category whose design rules apply: 数量/质量/时效/成本, or 效益 / 满意度 as a whole."""
    if row.level2 in OUTPUTS:
        return row.level2
    if row.level2 in COSTS or (row.level2 is None and row.level1 == "成本"):
        return "成本"
    if row.level2 in BENEFITS or (row.level2 is None and row.level1 == "效益"):
        return "效益"
    if row.level2 in SATISFACTION or row.level1 == "满意度":
        return "满意度"
    return None


def _values(target: ParsedValue) -> tuple[ParsedValue, ...]:
    """A target and, when it holds several values, each of them."""
    return (target, *target.parts)


def _is_time(value: ParsedValue) -> bool:
    return value.kind in TIME_KINDS or value.unit in DURATION_UNITS


def _has_time(row: Indicator, values: tuple[ParsedValue, ...]) -> bool:
    """A date, period or duration in the target, or a time word in the name or target."""
    return any(_is_time(value) for value in values) or _TIME_WORD.search(_text(row)) is not None


def _text(row: Indicator) -> str:
    """The name and the target, where the words of indicator.category are looked for."""
    return f"{row.name or ''} {row.target}"


def misplacement(category: str, row: Indicator, target: ParsedValue) -> str | None:
    """Why a row does not fit its category (checks.md indicator.category (a)–(e)), or None."""
    if category == "成本":
        text = _text(row)
        process = _COST_PROCESS.search(text)
        if process:
            return f"“{process.group(0)}”是过程指标，不反映成本"
        if target.kind == Kind.BUDGET or _BUDGET_PHRASE.search(text):
            return "“控制在预算内”是预算执行要求，不反映成本"
    elif category == "时效":
        if not _has_time(row, _values(target)):
            return "时效指标没有时间要素（日期、周期、时长、及时或按时）"
    elif category == "质量":
        if any(is_count(value) for value in _values(target)):
            return "质量指标填写了纯数量"
    elif category == "数量":
        rate = _RATE_WORD.search(_text(row))
        if rate or target.kind == Kind.PCT:
            return f"数量指标填写了比率（{rate.group(0) if rate else '百分比'}）"
    elif category == "满意度":
        if COMPLAINT_WORD in _text(row):
            return "满意度指标以投诉情况衡量，不反映服务对象满意程度"
    elif category == "效益":
        values = _values(target)
        if any(_is_time(value) for value in values):
            return "效益指标填写了时间要求（属产出时效）"
        if any(is_count(value) for value in values):
            return "效益指标填写了产出数量"
    return None


@register
class Category(Check):
    """An indicator filed under a category it does not measure (成本 as a process rate …)."""

    code = "indicator.category"
    severity = Severity.WARNING
    scopes = FORM
    message = "指标“{name}”（{target}）不宜作为“{level2}”指标：{reason}"

    def evaluate(self, context: Context) -> Iterator[Result]:
        def judge(index: int, row: Indicator, evaluation: IndicatorEvaluation) -> Result | None:
            category = category_of(row)
            if category is None:
                return self.undetermined("二级指标类别缺失且无法推断", indicator=index, cells=cells(row))
            reason = misplacement(category, row, evaluation.target)
            if reason is None:
                return self.passed(indicator=index)
            return self.failed(
                indicator=index,
                found=row.level2 or row.level1,
                cells=cells(row),
                note="二级指标由上方单元格向下填充推断" if "level2" in row.inferred else None,
                name=label(row, index),
                target=row.target,
                level2=row.level2 or row.level1,
                reason=reason,
            )

        return judge_rows(self, context, judge, none_note="无适用的指标行", among=context.rows.applicable)


@register
class Duplicate(Check):
    """Two or more rows of one form with the same name (spaces and punctuation aside)."""

    code = "indicator.duplicate"
    severity = Severity.WARNING
    scopes = FORM
    message = "指标名称“{name}”在本表重复{n}次"

    def evaluate(self, context: Context) -> Iterator[Result]:
        if not context.rows.aligned:
            yield self.undetermined(MISALIGNED)
            return
        groups: dict[str, list[int]] = {}
        named = 0
        # Unnamed rows are skipped, and so are 无/不适用 rows (all named alike).
        for index, row, _ in context.rows.applicable:
            key = fold(row.name or "")
            if not key:
                continue
            named += 1
            groups.setdefault(key, []).append(index)
        if named < 2:
            yield self.not_applicable("具名指标少于2个")
            return
        rows = context.form.indicators
        repeated = [indices for indices in groups.values() if len(indices) > 1]
        if not repeated:
            yield self.passed()
        for indices in repeated:
            first = rows[indices[0]]
            targets = [rows[index].target for index in indices]
            result = self.failed(
                indicator=indices[0],
                expected=1,
                found=len(indices),
                cells={"三级指标": first.name or "", "年度指标值": " / ".join(targets)},
                note="第" + "、".join(str(index + 1) for index in indices) + "行",
                name=first.name,
                n=len(indices),
            )
            if len({fold(target) for target in targets}) == 1:
                result = with_suffix(result, "（指标值亦相同）")
            yield result


@register
class MissingKind(Check):
    """A kind of indicator the profile requires (数量, 质量, 时效, 成本 …) that the form lacks."""

    code = "indicator.missing-kind"
    severity = Severity.WARNING
    scopes = FORM_AND_SUMMARY
    message = "{level1}下缺少“{level2}”指标（或仅填不适用）"

    def evaluate(self, context: Context) -> Iterator[Result]:
        if not context.rows.aligned:
            yield self.undetermined(MISALIGNED)
            return
        summary = context.form.is_summary
        applicable = {index for index, _, _ in context.rows.applicable}
        blocks: dict[str | None, list[Member]] = {}
        for index, row, evaluation in context.rows.all:
            blocks.setdefault(block_of(row), []).append(Member(index, row, evaluation.target, index in applicable))
        unknown = blocks.get(None, [])
        for level1, rule in context.profile.required_kinds.items():
            members = blocks.get(level1, [])
            if isinstance(rule, tuple):
                # Per 二级 of the block: whether any of its rows counts.
                held: dict[str | None, bool] = {}
                for member in members:
                    held[member.row.level2] = held.get(member.row.level2, False) or member.applicable
                for level2 in rule:
                    if summary and level2 not in SUMMARY_LEVEL2:
                        continue  # a column the summary layout does not have
                    kinds = COST_KINDS if level2 == "成本" else (level2,)
                    present = [held[kind] for kind in kinds if kind in held]
                    if any(present):
                        yield self.passed()
                    else:
                        unlabelled = [member for member in members if member.row.level2 is None]
                        yield self._missing(level1, level2, present, unknown + unlabelled, members)
            elif rule in (ANY_APPLICABLE, ANY):
                present = [member.applicable or rule == ANY for member in members]
                yield self.passed() if any(present) else self._missing(level1, level1, present, unknown, members)
            else:
                yield self.undetermined(f"规则配置的required_kinds取值“{rule}”无法识别")

    def _missing(
        self,
        level1: str,
        level2: str,
        present: list[bool],
        unknown: list[Member],
        members: list[Member],
    ) -> Result:
        """No row of the kind counts: `present` says whether any was set at all (仅填不适用)."""
        if unknown:
            names = "、".join(member.label for member in unknown[:3])
            return self.undetermined(f"{level1}下缺少“{level2}”指标，但有指标行类别不明（{names}）")
        result = self.failed(
            expected=level2,
            found="仅填不适用" if present else "未设置",
            level1=level1,
            level2=level2,
        )
        # A row that fits the missing kind but took the label above it by forward fill is
        # probably where the label was lost (luohu 2021 · 群众体育工作: 招标、安装时间 全年开展
        # under 质量; domain.md §7.4).
        suspects = [member for member in members if member.could_be(level2)]
        if suspects:
            shown = "、".join(f"“{member.label}”" for member in suspects[:3])
            result = with_suffix(result, f"；{shown}的二级指标系向下填充推断，可能遗漏了“{level2}”标签")
        return result


class Member(NamedTuple):
    """A row as indicator.missing-kind sees it: its target, and whether it counts."""

    index: int
    row: Indicator
    target: ParsedValue
    applicable: bool

    @property
    def label(self) -> str:
        return label(self.row, self.index)

    def could_be(self, level2: str) -> bool:
        """An applicable row whose 二级 was filled down and whose target fits `level2` instead."""
        if "level2" not in self.row.inferred or not self.applicable or self.row.level2 == level2:
            return False
        return fits(level2, self.row, self.target)


def fits(level2: str, row: Indicator, target: ParsedValue) -> bool:
    """Whether a row's target is what a `level2` indicator measures (the positive side of
    indicator.category): a count for 数量, a rate or a description for 质量, a time for 时效,
    money for 成本."""
    values = _values(target)
    if level2 == "数量":
        return any(is_count(value) for value in values)
    if level2 == "质量":
        return target.kind in (Kind.PCT, Kind.QUAL)
    if level2 == "时效":
        return _has_time(row, values)
    if level2 == "成本":
        return target.kind == Kind.BUDGET or any(is_money(value.unit) for value in values)
    return True


def block_of(row: Indicator) -> str | None:
    """The 一级 block a row counts for: its 二级 label's parent, since a label can land on the
    wrong row (domain.md §7.2: a 成本 row printed under 效益); a 成本 block counts as 产出's 成本."""
    parent = PARENT_OF.get(row.level2) if row.level2 else row.level1
    return "产出" if parent == "成本" else parent
