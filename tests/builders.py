"""Forms built by hand for unit tests: a tidy, correct form unless a test says otherwise.

Numbers are given as printed texts ("100000.00", "0.56"), as a unit would write them.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from jixiao.domain.labels import read_label
from jixiao.domain.model import (
    Form,
    FundsBlock,
    FundsRow,
    Goals,
    Indicator,
    Printed,
    ProjectHeader,
    SourceRef,
    Total,
)


def row(
    name: str | None = "活动场次",
    target: str = "≥10场",
    actual: str = "10场",
    weight: str = "10.0",
    score: str | None = None,
    *,
    level1: str = "产出指标",
    level2: str | None = "数量指标",
    deviation: str | None = "无偏差",
    applicable: bool | None = None,
) -> Indicator:
    """One indicator row; `score` defaults to the full weight."""
    label1 = read_label(level1)
    label2 = read_label(level2) if level2 else None
    na = target in ("无", "不适用") or applicable is False
    return Indicator(
        level1=label1.canonical if label1 else None,
        level1_text=level1,
        level2=label2.canonical if label2 else None,
        level2_text=level2,
        name=name,
        target=target,
        actual=actual,
        weight=Printed.of(weight),
        score=Printed.of(weight if score is None else score),
        deviation=deviation,
        applicable=not na if applicable is None else applicable,
    )


def standard_rows() -> tuple[Indicator, ...]:
    """A correct 50/20/20 indicator block, every row met and at full marks."""
    return (
        row("活动场次", "≥10场", "12场", "15.0"),
        row("活动合格率", "100%", "100%", "15.0", level2="质量指标"),
        row("完成时间", "2021年12月31日前", "2021年11月", "10.0", level2="时效指标"),
        row("全年支出总金额", "控制在预算数内", "99%", "10.0", level2="成本指标"),
        row("不适用", "不适用", "不适用", "0.0", level1="效益指标", level2="经济效益指标"),
        row("群众获得感", "≥90%", "95%", "20.0", level1="效益指标", level2="社会效益指标"),
        row("不适用", "不适用", "不适用", "0.0", level1="效益指标", level2="生态效益指标"),
        row("群众满意度", "≥90%", "95%", "20.0", level1="满意度指标", level2=None),
    )


def make_form(
    *,
    initial: str = "100000.00",
    adjusted: str = "100000.00",
    executed: str = "100000.00",
    fiscal: tuple[str, str, str] | None = None,
    carryover: tuple[str, str, str] = ("0.00", "0.00", "0.00"),
    other: tuple[str, str, str] = ("0.00", "0.00", "0.00"),
    weight: str = "10",
    rate: str = "1.00",
    rate_scale: int = 1,
    score: str = "10.00",
    indicators: tuple[Indicator, ...] | None = None,
    total_weight: str = "100",
    total_score: str | None = None,
    goals_actual: str | None = "全年工作按计划完成。",
    name: str = "测试项目",
    year: int | None = 2021,
    layout: str = "luohu-2021",
    file: str = "test.txt",
    index: int = 0,
) -> Form:
    """A form; `total_score` defaults to the printed funds score plus the row scores."""
    rows = standard_rows() if indicators is None else indicators
    if total_score is None:
        values = [Printed.of(score).value] + [r.score.value for r in rows]
        total_score = str(sum((v for v in values if v is not None), Decimal(0)))
    fiscal = fiscal or (initial, adjusted, executed)
    return Form(
        source=SourceRef(file=file, index=index, layout=layout),
        project=ProjectHeader(name=name, year=year, department="测试主管部门", implementing_unit="测试单位"),
        funds=FundsBlock(
            total=FundsRow(Printed.of(initial), Printed.of(adjusted), Printed.of(executed), Printed.of(rate)),
            fiscal=FundsRow(*(Printed.of(text) for text in fiscal)),
            carryover=FundsRow(*(Printed.of(text) for text in carryover)),
            other=FundsRow(*(Printed.of(text) for text in other)),
            weight=Printed.of(weight),
            rate=Printed.of(rate),
            rate_scale=rate_scale,
            score=Printed.of(score),
        ),
        goals=Goals(expected="按计划开展工作。", actual=goals_actual),
        indicators=rows,
        total=Total(Printed.of(total_weight), Printed.of(total_score)),
    )


def with_row(form: Form, index: int, new_row: Indicator) -> Form:
    """The form with one indicator row replaced (the total is left as printed)."""
    rows = list(form.indicators)
    rows[index] = new_row
    return replace(form, indicators=tuple(rows))
