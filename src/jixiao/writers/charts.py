"""Charts of an evaluation report as PNG images (matplotlib, Agg, Noto Sans CJK SC).

`report_charts` draws the charts a report's sections name (Section.chart): 各类资金预算执行率
(execution), 得分构成 by 一级 (composition), 审核问题 by code (findings) and 历年情况
(history, only with two years or more). The style (Noto CJK fonts) is set once, when the module
is imported: a text takes its font when it is made, and a style switched on and off around each
chart would race between the web app's threads. Figures are built with the object API, never
pyplot, so no figure is shared. The .docx and PDF writers embed the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402  (after choosing the backend)

from jixiao.domain.report import Report, percent  # noqa: E402
from jixiao.domain.score_formulas import num  # noqa: E402

STYLE = {
    "font.family": ["Noto Sans CJK SC", "Noto Serif CJK SC", "sans-serif"],
    "axes.unicode_minus": False,  # the CJK fonts lack U+2212
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
matplotlib.rcParams.update(STYLE)
# Muted official colours: 决策, 过程, 产出, 效益 and a spare for a fifth 一级.
COLOURS = ("#1f4e79", "#2e75b6", "#9dc3e6", "#c55a11", "#7f7f7f")
RED, GREY = "#c00000", "#bfbfbf"
CAPTIONS = {
    "execution": "图 各类资金预算执行率",
    "composition": "图 综合评价得分构成",
    "findings": "图 子项目自评表审核问题分布",
    "history": "图 历年预算与执行情况",
}
WIDTH_CM = 16
DPI = 200
MAX_CODES = 12


def report_charts(report: Report) -> dict[str, bytes]:
    """PNG bytes by chart key, for every chart a section of the report names and has data for."""
    wanted = {section.chart for section in report.sections if section.chart}
    drawers: dict[str, Callable[[Report], bytes | None]] = {
        "execution": execution_chart,
        "composition": composition_chart,
        "findings": lambda item: findings_chart(item.finding_counts),
        "history": history_chart,
    }
    charts = {}
    for key in sorted(wanted):
        drawer = drawers.get(key)
        image = drawer(report) if drawer else None
        if image is not None:
            charts[key] = image
    return charts


def execution_chart(report: Report) -> bytes | None:
    """各类资金预算执行率: 支出 ÷ 到位 per category, in percent, with its amounts."""
    bars = []
    for category in report.categories:
        spent, arrived = category.spent.value, category.arrived.value or category.budget.value
        if spent is not None and arrived:
            amounts = f"{category.spent.text}/{category.arrived.text or category.budget.text}"
            bars.append((category.name, percent(spent / arrived, 2), amounts))
    if not bars:
        return None
    figure, axes = _figure(len(bars))
    names = [name for name, _, _ in bars][::-1]
    rates = [rate for _, rate, _ in bars][::-1]
    colours = [RED if rate < 80 else COLOURS[1] for rate in rates]
    axes.barh(names, [float(rate) for rate in rates], color=colours, height=0.55)
    for position, (rate, (_, _, amounts)) in enumerate(zip(rates, bars[::-1])):
        axes.text(float(rate) + 1, position, f"{num(rate)}%（{amounts}{report.unit}）", va="center", fontsize=8)
    axes.set_xlim(0, 125)
    axes.axvline(100, color=GREY, linewidth=0.8, linestyle="--")
    axes.set_xlabel("预算执行率（%）")
    axes.set_title("各类资金预算执行率", fontsize=10)
    return _png(figure)


def composition_chart(report: Report) -> bytes | None:
    """得分构成: the weights and the scores, each stacked by 一级."""
    blocks: dict[str, list[Decimal]] = {}
    for row in report.rows:
        weight, score = blocks.setdefault(row.level1, [Decimal(0), Decimal(0)])
        blocks[row.level1] = [weight + (row.weight.value or 0), score + (row.score.value or 0)]
    if not blocks:
        return None
    figure, axes = _figure(2, height_cm=5.5)
    left = [0.0, 0.0]
    for index, (name, (weight, score)) in enumerate(blocks.items()):
        colour = COLOURS[index % len(COLOURS)]
        values = [float(weight), float(score)]
        axes.barh(["权重", "得分"], values, left=left, color=colour, height=0.5, label=name, edgecolor="white")
        for bar, (value, start) in enumerate(zip(values, left)):
            if value >= 4:
                ink = "white" if index < 2 or index == 3 else "black"
                axes.text(start + value / 2, bar, f"{name}\n{value:g}", ha="center", va="center", fontsize=8, color=ink)
        left = [left[0] + values[0], left[1] + values[1]]
    axes.set_xlim(0, 100)
    axes.invert_yaxis()
    axes.set_xlabel("分")
    axes.set_title(f"得分构成（总分 {left[1]:g} 分）", fontsize=10)
    axes.legend(ncol=len(blocks), loc="upper center", bbox_to_anchor=(0.5, -0.3), frameon=False, fontsize=8)
    return _png(figure)


def findings_chart(counts: Mapping[str, int]) -> bytes | None:
    """审核问题 by check code, most frequent first (at most twelve codes)."""
    items = sorted(((code, count) for code, count in counts.items() if count), key=lambda item: (-item[1], item[0]))
    if not items:
        return None
    items = items[:MAX_CODES]
    figure, axes = _figure(len(items))
    codes = [code for code, _ in items][::-1]
    values = [count for _, count in items][::-1]
    axes.barh(codes, values, color=COLOURS[3], height=0.55)
    for position, value in enumerate(values):
        axes.text(value, position, f" {value}", va="center", fontsize=8)
    axes.set_xlabel("问题数（项）")
    axes.set_title("子项目自评表审核问题（按规则编码）", fontsize=10)
    axes.xaxis.get_major_locator().set_params(integer=True)
    return _png(figure)


def history_chart(report: Report) -> bytes | None:
    """历年情况: budget and spending per year (bars) and the execution rate (line)."""
    years = sorted(report.history, key=lambda item: item.year)
    if len(years) < 2:
        return None
    scale = Decimal(10000) if report.unit == "万元" else Decimal(1)
    labels = [f"{item.year}年" for item in years]
    figure, axes = _figure(3, height_cm=6.5)
    positions = range(len(years))
    budget = axes.bar([p - 0.18 for p in positions], [float(item.budget / scale) for item in years], 0.36, color=COLOURS[2])
    spent = axes.bar([p + 0.18 for p in positions], [float(item.spent / scale) for item in years], 0.36, color=COLOURS[0])
    axes.set_xticks(list(positions), labels)
    axes.set_ylabel(f"金额（{report.unit}）")
    rates = [float(percent(item.spent / item.budget, 2)) if item.budget else 0.0 for item in years]
    twin = axes.twinx()
    (line,) = twin.plot(list(positions), rates, color=COLOURS[3], marker="o")
    twin.set_ylim(0, 110)
    twin.set_ylabel("执行率（%）")
    axes.legend(
        [budget, spent, line], ["预算", "支出", "执行率"],
        loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=3, frameon=False, fontsize=8,
    )  # fmt: skip
    axes.set_title("历年预算与执行情况", fontsize=10)
    return _png(figure)


def _figure(bars: int, height_cm: float | None = None) -> tuple[Figure, Any]:
    height = height_cm if height_cm is not None else max(4.0, 1.2 + 0.8 * bars)
    figure = Figure(figsize=(WIDTH_CM / 2.54, height / 2.54), dpi=DPI, layout="constrained")
    return figure, figure.add_subplot()


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
