"""Checks of the weights (分值): checks.md §2.

Weights are summed from the printed cells; a blank or unparseable weight is never counted as 0
(checks.md weights.total). Level-1 blocks are grouped by `scoring.level1_sums`, which counts
"满意度指标" as 满意度 wherever it was printed (scoring.md §5).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from functools import lru_cache

from jixiao.checks.base import Check, Context, Result, Scope, Severity, register
from jixiao.domain import profiles as rules
from jixiao.domain.labels import read_label
from jixiao.domain.model import Form
from jixiao.domain.score_formulas import num
from jixiao.domain.scoring import SATISFACTION_LEVEL2, level1_sums, nearest_profile

FORM = frozenset({Scope.FORM})
HUNDRED = Decimal(100)
ZERO = Decimal(0)
FUNDS_BLOCK = "预算执行率"  # how a listing names the funds row's weight

BlockSums = Mapping[str | None, Decimal | None]  # `level1_sums`: None key = lost 一级, None sum = a blank weight
Comparison = tuple[str, Decimal, Decimal]  # block, the form's sum, the profile's weight


def unknown_block_rows(form: Form) -> list[int]:
    """Weighted rows whose 一级 is lost (domain.md §7.4); `level1_sums` files them under None."""
    return [
        index
        for index, indicator in enumerate(form.indicators)
        if indicator.level1 is None
        and indicator.level2 not in SATISFACTION_LEVEL2
        and indicator.weight.value != ZERO
    ]


@lru_cache(maxsize=256)
def claimed_weight(level1_text: str | None) -> tuple[str, Decimal] | None:
    """The block and weight a 一级 label prints (`产出(50分)` → 产出, 50), if it prints one.

    Every row of the 2022 layout repeats its label, so the few distinct texts are read once.
    """
    label = read_label(level1_text)
    if label is None or label.weight is None:
        return None
    return label.canonical, Decimal(str(label.weight))


def profile_blocks(sums: BlockSums, profile: rules.Profile) -> list[Comparison]:
    """Every profile key with the form's sum for it, then every block the profile does not name.

    A key joined with `+` (Hubei `效益+满意度`) is compared with the combined sum (scoring.md §7).
    """
    compared: list[Comparison] = []
    covered: set[str] = set()
    for key, expected in profile.level1_weights.items():
        parts = key.split("+")
        covered.update(parts)
        compared.append((key, sum((sums.get(part) or ZERO for part in parts), ZERO), expected))
    compared.extend(
        (block, value, ZERO) for block, value in sums.items() if block is not None and block not in covered and value
    )
    return compared


def fits(sums: BlockSums, funds_weight: Decimal, profile: rules.Profile, tolerance: Decimal) -> bool:
    """Every block and the funds weight within `tolerance` of the profile's."""
    return abs(funds_weight - profile.funds_weight) <= tolerance and all(
        abs(found - want) <= tolerance for _, found, want in profile_blocks(sums, profile)
    )


@register
class Total(Check):
    """分值合计 (funds weight + Σ row weights, and the printed 总分 分值) is not 100."""

    code = "weights.total"
    severity = Severity.ERROR
    scopes = FORM
    message = "分值合计{sum}（含预算执行率分值{wf}），应为100"

    def evaluate(self, context: Context) -> Iterator[Result]:
        form = context.form
        tolerance = context.profile.tol_weight
        funds_weight = form.funds.weight.value
        row_weights = [indicator.weight.value for indicator in form.indicators]
        printed_total = form.total.weight.value
        cells = {"预算执行率分值": form.funds.weight.text, "总分分值": form.total.weight.text}
        rows_complete = None not in row_weights
        if funds_weight is not None and rows_complete:
            weight_sum = funds_weight + sum(row_weights, ZERO)  # type: ignore[arg-type]
            if abs(weight_sum - HUNDRED) > tolerance:
                yield self.failed(expected=HUNDRED, found=weight_sum, cells=cells, sum=weight_sum, wf=funds_weight)
                return
        if printed_total is not None and abs(printed_total - HUNDRED) > tolerance:
            yield self.failed(expected=HUNDRED, found=printed_total, cells=cells, sum=printed_total, wf=funds_weight)
            return
        missing = [
            name
            for name, present in (
                ("预算执行率分值", funds_weight is not None),
                ("指标分值", rows_complete),
                ("总分分值", printed_total is not None),
            )
            if not present
        ]
        if missing:
            yield self.undetermined(f"{'、'.join(missing)}缺失或不是数字，不按0计", cells=cells)
        else:
            yield self.passed()


@register
class Level1(Check):
    """A weight printed in the 一级 label (产出(50分)) disagrees with its rows' weights."""

    code = "weights.level1"
    severity = Severity.ERROR
    scopes = FORM
    message = "一级指标“{level1}”标注{claimed}分，下属指标分值合计{sum}"

    def evaluate(self, context: Context) -> Iterator[Result]:
        form = context.form
        # The block a printed weight claims is the block its own label names.
        claimed: dict[str, set[Decimal]] = {}
        texts: dict[str, str] = {}
        for indicator in form.indicators:
            label_weight = claimed_weight(indicator.level1_text)
            if label_weight is not None:
                block, weight = label_weight
                claimed.setdefault(block, set()).add(weight)
                texts.setdefault(block, indicator.level1_text or "")
        if not claimed:
            # 2021 layouts print no weight in the label; weights.profile covers them.
            yield self.not_applicable("一级指标未标注分值")
            return
        unknown = unknown_block_rows(form)
        for index in unknown:
            yield self.undetermined("该行一级指标不明，无法归入一级指标合计", indicator=index)
        sums = level1_sums(form)
        for block, weights in claimed.items():
            cells = {"一级指标": texts[block]}
            rows_sum = sums.get(block, ZERO)
            if rows_sum is None:
                yield self.undetermined(f"一级指标“{block}”下有分值缺失的指标", cells=cells)
            elif len(weights) > 1:
                shown = "、".join(num(weight) for weight in sorted(weights))
                yield self.failed(found=shown, cells=cells, level1=block, claimed=shown, sum=rows_sum)
            else:
                (weight,) = weights
                if abs(rows_sum - weight) <= context.profile.tol_weight:
                    yield self.passed()
                elif unknown:
                    # A row with a lost 一级 may belong here: the shortfall is not certain.
                    reason = f"一级指标“{block}”合计{num(rows_sum)}，另有一级指标不明的行"
                    yield self.undetermined(reason, cells=cells)
                else:
                    yield self.failed(
                        expected=weight, found=rows_sum, cells=cells, level1=block, claimed=weight, sum=rows_sum
                    )


@register
class Profile(Check):
    """The level-1 weights or the funds weight differ from the rule profile's."""

    code = "weights.profile"
    severity = Severity.WARNING
    scopes = FORM
    message = "一级指标权重{actual}与规则配置{profile}的{expected}不一致"

    def evaluate(self, context: Context) -> Iterator[Result]:
        form, profile = context.form, context.profile
        sums = level1_sums(form)
        funds_weight = form.funds.weight.value
        unknown = unknown_block_rows(form)
        for index in unknown:
            yield self.undetermined("该行一级指标不明，无法计算一级指标权重", indicator=index)
        if None in sums.values() or funds_weight is None:
            yield self.undetermined("有分值缺失或不是数字，无法计算一级指标权重")
            return
        if unknown:
            return
        if fits(sums, funds_weight, profile, profile.tol_weight):
            yield self.passed()
            return
        compared = profile_blocks(sums, profile)
        actual = _listing([(key, found) for key, found, _ in compared], funds_weight)
        expected = _listing(
            [(key, want) for key, _, want in compared if key in profile.level1_weights], profile.funds_weight
        )
        others = [candidate for candidate in context.profiles if candidate.name != profile.name]
        yield self.failed(
            expected=expected,
            found=actual,
            note=_nearest_note(sums, funds_weight, others, profile.tol_weight),
            actual=actual,
            profile=profile.name,
        )


def _listing(blocks: Sequence[tuple[str, Decimal]], funds_weight: Decimal) -> str:
    """产出50、效益35、满意度5、预算执行率10: every block, then the funds row."""
    return "、".join(f"{name}{num(value)}" for name, value in [*blocks, (FUNDS_BLOCK, funds_weight)])


def _nearest_note(sums: BlockSums, funds_weight: Decimal, others: Sequence[rules.Profile], tolerance: Decimal) -> str:
    """Which other profile the form fits, or comes closest to (scoring.md §7, "Selecting a profile")."""
    if not others:
        return "未提供其他规则配置，无法给出最接近的配置"
    nearest = nearest_profile(sums, funds_weight, others)
    if fits(sums, funds_weight, nearest, tolerance):
        return f"与规则配置{nearest.name}（{nearest.title}）一致"
    # `nearest_profile` gives a tie to the first candidate: asking again in reverse order
    # finds the last one, so two different answers mean the form is as far from both.
    tied = nearest_profile(sums, funds_weight, list(reversed(others)))
    if tied.name != nearest.name:
        return f"最接近的其他规则配置：{nearest.name}与{tied.name}（差距相同）"
    return f"最接近的其他规则配置：{nearest.name}（{nearest.title}）"
