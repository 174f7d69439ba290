"""The readable Chinese terminal report, and the progress bar on stderr.

Colour comes from rich, which turns it off by itself when the output is not a terminal.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from jixiao.checks.base import Check, Outcome, Result, Scope, Severity
from jixiao.checks.review import Review, catalogue
from jixiao.readers.grid import ReadError
from jixiao.services import CheckRun, ParseRun, Progress as ProgressCallback

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

SEVERITY_TITLE = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}
SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
STAGE_TITLE = {"read": "读取文件", "check": "评分审核", "import": "导入数据库", "write": "写出文件"}
PROGRESS_DELAY = 1.0  # seconds: short runs show no bar at all


@contextmanager
def progress_bar() -> Iterator[ProgressCallback]:
    """A progress callback for `services`; the bar appears only once a run passes a second."""
    started = time.monotonic()
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )
    tasks: dict[str, int] = {}

    def update(stage: str, done: int, total: int) -> None:
        if not bar.live.is_started:
            if time.monotonic() - started < PROGRESS_DELAY or not err.is_terminal:
                return
            bar.start()
        if stage not in tasks:
            tasks[stage] = bar.add_task(STAGE_TITLE.get(stage, stage), total=total)
        bar.update(tasks[stage], completed=done, total=total)

    try:
        yield update
    finally:
        if bar.live.is_started:
            bar.stop()


def print_read_errors(errors: Sequence[ReadError]) -> None:
    for error in errors:
        err.print(f"[bold red]无法读取[/] {escape(str(error))}")


def print_parse_report(run: ParseRun) -> None:
    for form in run.forms:
        project, funds = form.project, form.funds
        where = _where(form.source.file, form.source.rows)
        out.print(f"[bold]{escape(project.name or project.code or '（未命名项目）')}[/]  [dim]{where} · {form.source.layout}[/]")
        out.print(
            f"  全年预算数 {_yuan(funds.total.adjusted.value)}  全年执行数 {_yuan(funds.total.executed.value)}"
            f"  执行率 {funds.rate.text or '—'}  得分 {funds.score.text or '—'}"
        )
        for indicator in form.indicators:
            label = "/".join(part for part in (indicator.level1, indicator.level2) if part) or "？"
            out.print(
                f"  [dim]{indicator.line or '':>4}[/] {escape(label)}  {escape(indicator.name or '（无名称）')}："
                f"{escape(indicator.target or '—')} → {escape(indicator.actual or '—')}"
                f"  {indicator.score.text or '—'}/{indicator.weight.text or '—'}"
            )
        out.print(f"  总分 {form.total.score.text or '—'}/{form.total.weight.text or '—'}\n")
    out.print(f"共 {len(run.files)} 个文件，读出 {len(run.forms)} 张表。")


def print_check_report(run: CheckRun) -> None:
    for item in run.reviews:
        _print_review(item)
    _print_totals(run)


def _print_review(item: Review) -> None:
    form, evaluation = item.form, item.evaluation
    name = form.project.name or form.project.code or "（未命名项目）"
    out.rule(f"[bold]{escape(name)}[/]", align="left", style="blue")
    out.print(f"[dim]{_where(form.source.file, form.source.rows)} · 表样 {form.source.layout} · 规则 {evaluation.profile}[/]")
    if not form.is_summary:
        claimed = form.total.score.text or "—"
        recomputed = _number(evaluation.total)
        changed = evaluation.total is not None and form.total.score.value is not None and (
            abs(evaluation.total - form.total.score.value) > Decimal("0.05")
        )
        style = "bold red" if changed else "green"
        out.print(
            f"  自评得分 {claimed}   复核得分 [{style}]{recomputed}[/]   等级 {evaluation.grade or '—'}"
            f"   预算执行率 {_percent(evaluation.funds.rate)}"
        )
    findings = item.findings
    if not findings:
        out.print("  [green]✓ 未发现问题[/]\n")
        return
    failed = [result for result in findings if result.outcome is Outcome.FAIL]
    undetermined = [result for result in findings if result.outcome is Outcome.UNDETERMINED]
    for severity in Severity:
        group = [result for result in failed if result.severity is severity]
        if group:
            out.print(f"  [{SEVERITY_STYLE[severity]}]{SEVERITY_TITLE[severity]}（{len(group)}）[/]")
            for result in group:
                _print_finding(item, result)
    if undetermined:
        out.print(f"  [magenta]无法判定（{len(undetermined)}），需人工复核[/]")
        for result in undetermined:
            _print_finding(item, result)
    out.print()


def _print_finding(item: Review, result: Result) -> None:
    place = ""
    if result.indicator is not None:
        row = item.form.indicators[result.indicator]
        place = f"第{row.line}行 " if row.line else f"指标{result.indicator + 1} "
    marker = "✗" if result.outcome is Outcome.FAIL else "?"
    out.print(f"    {marker} [dim]{result.code}[/] {escape(place)}{escape(result.message)}")


def _print_totals(run: CheckRun) -> None:
    counts = {severity: 0 for severity in Severity}
    undetermined = 0
    for item in run.reviews:
        for result in item.findings:
            if result.outcome is Outcome.FAIL:
                counts[result.severity] += 1
            else:
                undetermined += 1
    with_errors = sum(1 for item in run.reviews if item.has_errors)
    out.print(
        f"共 {len(run.parsed.files)} 个文件、{len(run.reviews)} 张表："
        f"[bold red]错误 {counts[Severity.ERROR]}[/]（涉及 {with_errors} 张表），"
        f"[yellow]警告 {counts[Severity.WARNING]}[/]，[cyan]提示 {counts[Severity.INFO]}[/]，"
        f"[magenta]无法判定 {undetermined}[/]"
        + (f"，[bold red]无法读取 {len(run.errors)} 处[/]" if run.errors else "")
    )


def _where(file: str, rows: tuple[int, int] | None) -> str:
    return f"{file} 第{rows[0]}–{rows[1]}行" if rows else file


def _number(value: Decimal | None) -> str:
    return "—" if value is None else format(value.normalize(), "f")


def _percent(rate: Decimal | None) -> str:
    return "—" if rate is None else f"{rate * 100:.2f}%"


def _yuan(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:,.2f} 元"


SECTIONS = {
    "funds": "资金 / Funds block",
    "weights": "分值 / Weights",
    "score": "得分与等级 / Scores and grade",
    "grade": "得分与等级 / Scores and grade",
    "target": "指标值 / Targets",
    "indicator": "指标设置 / Indicator design",
    "actual": "实际完成值 / Actual values",
    "inflation": "自评得分虚高信号 / Inflation signals",
    "deviation": "偏差说明 / Deviation notes",
    "report": "评价报告 / Evaluation reports",
}
DESIGN_NOTE = re.compile(r"\s*\([a-z-]+\.md(?: §[\d.–-]+)?\)|,\s*[a-z-]+\.md(?: §[\d.–-]+)?")
SCOPE_TITLE = {Scope.FORM: "自评表", Scope.SUMMARY: "部门汇总表", Scope.REPORT: "评价报告"}
CATALOGUE_INTRO = """# 审核规则 / Review checks

<!-- Generated by `jixiao checks --markdown`; tests/test_docs.py fails if it drifts. -->

每条规则有固定的编码（不会改名）、级别和一句中文提示。每次审核，每条规则得到四种结果之一：

| 结果 / outcome | 含义 |
|---|---|
| `pass` 通过 | 条件已核对且成立 |
| `fail` 不通过 | 条件已核对且不成立：列为问题 |
| `undetermined` 无法判定 | 所需数据缺失、无法解析或需要人工判断：**也列为问题，绝不当作通过** |
| `n/a` 不适用 | 该表样没有此项（如自评表未印等级）：只计数，不列为问题 |

级别：`error` 计算或一致性错误（`jixiao check` 因此以 1 退出）；`warning` 指标设置、得分虚高或文字与数字
矛盾；`info` 文字规范。阈值与容差来自规则配置（见 [profiles.md](profiles.md)），不写死在规则里。

Each check has a fixed code, a severity and a one-line Chinese message; every run ends each
check in pass, fail, undetermined (a finding, never a silent pass) or n/a. Thresholds and
tolerances are profile keys.
"""


def catalogue_markdown() -> str:
    """The check catalogue as Markdown, from the registered classes themselves."""
    lines = [CATALOGUE_INTRO]
    section = None
    for check in _in_section_order():
        title = SECTIONS.get(check.code.split(".")[0], check.code.split(".")[0])
        if title != section:
            section = title
            lines += ["", f"## {title}", "", "| 编码 / code | 级别 | 适用 | 提示语 / message | 说明 / what it looks for |", "|---|---|---|---|---|"]
        lines.append(
            f"| `{check.code}` | {check.severity.value} | {_scopes(check)} | {check.message} | {_summary(check)} |"
        )
    return "\n".join(lines) + "\n"


def print_catalogue() -> None:
    for check in _in_section_order():
        style = SEVERITY_STYLE[check.severity]
        out.print(f"[{style}]{check.code:<32}[/] {SEVERITY_TITLE[check.severity]}  {_scopes(check)}")
        out.print(f"    {escape(check.message)}")


def _in_section_order() -> list[type[Check]]:
    order = list(SECTIONS)
    return sorted(catalogue(), key=lambda check: (order.index(check.code.split(".")[0]), check.code))


def _scopes(check: type[Check]) -> str:
    return "、".join(SCOPE_TITLE[scope] for scope in Scope if scope in check.scopes)


def _summary(check: type[Check]) -> str:
    text = " ".join((check.__doc__ or "").split())
    # Docstrings cite the design notes (scoring.md §3.8); user docs stand on their own.
    text = DESIGN_NOTE.sub("", text)
    return text.replace("|", "\\|")
