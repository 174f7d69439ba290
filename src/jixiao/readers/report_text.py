"""An evaluation report (绩效评价报告) as text, read into the report model (domain/report.py).

The text is what a converter makes of a published report (shared/samples/longgang-special-
fund-2022-report.txt): paragraphs, headings such as 一、基本情况, formulas in TeX markup
(`$(8109.65 \\text{ 万元} / 8140 \\text{ 万元}) \\times 100\\% = 99.63\\%$`), and the 附表
framework table as Markdown pipe rows whose header repeats at each page break (domain.md §7.15).
A paragraph split by a page break (…人才集聚龙 / 岗，提升…) is joined again before it is read.

The table's 一级 and 二级 cells are printed once per merged range and filled down. A printed
三级 name the framework does not know takes the framework's name at the same place in its
二级 group when it contains it: the sample prints "实施效益满意度" for both 效益 rows, which
the text calls 实施效益 and 满意度.

A .docx report (one jixiao drafted, or one a department wrote in Word) is first turned into
the same text: paragraphs as lines, tables as pipe rows.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from docx import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph as DocxParagraph

from jixiao.domain.model import BLANK, Printed, SourceRef, parse_number
from jixiao.domain.report import Computation, CostStatement, FundCategory, Report, ReportRow, Section
from jixiao.domain.report_framework import Framework
from jixiao.readers.formats import FileFormat, sniff_format
from jixiao.readers.grid import ReadError
from jixiao.readers.limits import Limits, check_size
from jixiao.readers.text import decode_text

TEN_THOUSAND = Decimal(10000)
# A long paragraph that does not end a sentence was cut by a page break; short lines (titles,
# the organisation, 1. 项目背景) end without punctuation as they are.
SENTENCE_END = tuple("。！？；：”」）)")
CUT_LINE = 40
HEADING1 = re.compile(r"^[一二三四五六七八九十]+、\s*\S")
HEADING2 = re.compile(r"^[(（]\s*[一二三四五六七八九十]+\s*[)）]\s*\S")
HEADING_MAX = 30
SECTION_KEYS = (
    ("基本情况", "basic"), ("项目概况", "overview"), ("资金投入", "funds"), ("绩效目标", "goals"),
    ("综合评价", "conclusion"), ("指标分析", "analysis"), ("存在的问题", "problems"), ("建议", "suggestions"),
)  # fmt: skip
LEVEL1_WEIGHT = re.compile(r"^(?P<name>.+?)\s*[(（]\s*(?P<weight>\d+(?:\.\d+)?)\s*分\s*[)）]$")
SEPARATOR_CELL = re.compile(r"^:?-+:?$")
TITLE = re.compile(r"评价报告$")
YEAR = re.compile(r"(20\d\d)\s*年")
DATE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")
TOTAL = re.compile(r"综合评价得分\s*[:：为]?\s*(\d+(?:\.\d+)?)\s*分")
GRADE = re.compile(r"评价等级为\s*[“\"「『]?\s*(优|良|中|差)")
# TeX as a converter writes it, and what it stands for in plain text.
TEX = (
    (re.compile(r"\\text\s*\{\s*([^}]*)\}"), r"\1"), (re.compile(r"\\(?:times|cdot)"), "×"),
    (re.compile(r"\\%"), "%"), (re.compile(r"\\(?:leq|le)\b"), "≤"), (re.compile(r"\\(?:geq|ge)\b"), "≥"),
    (re.compile(r"\\(?:left|right)"), ""), (re.compile(r"\\div"), "/"),
)  # fmt: skip
# `预算执行率 = (8109.65 万元 / 8140 万元) × 100% = 99.63%`, then `得 4.98 分` within the sentence.
COMPUTATION = re.compile(
    r"(?P<name>[\u4e00-\u9fff]{2,16}?率)\s*=\s*(?P<expression>[\[［(（][^=]*?[)）\]］])\s*[×xX*]\s*100\s*%\s*"
    r"=\s*(?P<result>\d+(?:\.\d+)?)\s*%(?P<after>[^。=]{0,40})"
)
SCORE_AFTER = re.compile(r"得\s*(\d+(?:\.\d+)?)\s*分")
AMOUNT = r"(\d[\d,]*(?:\.\d+)?)\s*(万元|元)"
PLANNED_COST = re.compile(rf"计划(?:全年|总)?成本(?:为)?\s*{AMOUNT}")
ACTUAL_COST = re.compile(rf"实际(?:全年|总)?成本(?:为)?\s*{AMOUNT}")
CATEGORY = re.compile(
    rf"(?P<name>[^，。；：]+?)调整后预算(?:金额|资金)?\s*{AMOUNT}，(?:实际到位(?:资金)?\s*(?P<arrived>\d[\d,]*(?:\.\d+)?)\s*(?:万元|元)，)?"
    r"(?:实际)?支出\s*(?P<spent>\d[\d,]*(?:\.\d+)?)\s*(?:万元|元)，执行率\s*(?P<rate>\d+(?:\.\d+)?)\s*%"
)


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    line: int


def read_report(path: str | os.PathLike[str], framework: Framework, limits: Limits | None = None) -> Report:
    """Read a report from a text file or a .docx (a drafted report, or one a department wrote in
    Word); ReadError when it cannot be read or holds no framework table."""
    file = os.fspath(path)
    limits = limits or Limits.from_environment()
    check_size(file, limits)
    found = sniff_format(file, limits)  # refuses zip bombs and macros before anything is parsed
    if found is FileFormat.DOCX:
        return report_from_text(_docx_text(file), file, framework)
    if found is not FileFormat.TEXT:
        raise ReadError(file, "评价报告应为文本（.txt、.md）或 Word（.docx）文件")
    return read_report_text(file, framework, limits)


def read_report_text(path: str | os.PathLike[str], framework: Framework, limits: Limits | None = None) -> Report:
    """Read a report text file; ReadError when it cannot be read or holds no framework table."""
    file = os.fspath(path)
    check_size(file, limits or Limits.from_environment())
    try:
        with open(file, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise ReadError(file, f"无法打开文件（{error.strerror or error}）") from None
    return report_from_text(decode_text(data, file), file, framework)


def _docx_text(file: str) -> str:
    """A Word report as the text a converter makes of it: paragraphs as lines, tables as pipe
    rows, a cell a vertical merge covers left blank (as the 附表's 一级 and 二级 cells print)."""
    try:
        document = Document(file)
    except (ValueError, KeyError, OSError, zipfile.BadZipFile) as error:
        raise ReadError(file, f"Word 文件无法读取（{error}）") from None
    lines = []
    for block in document.element.body.iterchildren():
        if block.tag == qn("w:p"):
            lines.append(DocxParagraph(block, document).text)
        elif block.tag == qn("w:tbl"):
            above: list = []
            for row in Table(block, document).rows:
                cells = row.cells
                texts = [
                    "" if index < len(above) and cell._tc is above[index] else cell.text.replace("|", "｜").replace("\n", " ")
                    for index, cell in enumerate(cells)
                ]
                above = [cell._tc for cell in cells]
                lines.append("| " + " | ".join(texts) + " |")
        lines.append("")
    return "\n".join(lines)


def report_from_text(text: str, file: str, framework: Framework) -> Report:
    """The report a text holds: its table, totals, stated amounts, formulas and sections."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    table = [(number, line.strip()) for number, line in enumerate(lines, 1) if line.strip().startswith("|")]
    body = [(number, line.strip()) for number, line in enumerate(lines, 1) if not line.strip().startswith("|")]
    rows, table_weight, table_score = _table(table, framework)
    if not rows:
        raise ReadError(file, "没有找到评价指标体系表（一级指标 | 二级指标 | 三级指标 | 权重 | … | 得分）")
    paragraphs = list(_paragraphs(body))
    title_at = next((index for index, item in enumerate(paragraphs) if TITLE.search(item.text)), None)
    title = paragraphs[title_at].text if title_at is not None else ""
    organisation = paragraphs[title_at - 1].text if title_at and len(paragraphs[title_at - 1].text) <= 40 else None
    year = YEAR.search(title)
    total = _first(TOTAL, paragraphs)
    grade = _first(GRADE, paragraphs)
    return Report(
        source=SourceRef(file=file, layout="report-text"),
        title=title or "绩效评价报告",
        organisation=organisation,
        subject=_subject(title),
        year=int(year.group(1)) if year else None,
        date=next((item.text.replace(" ", "") for item in reversed(paragraphs) if DATE.match(item.text)), None),
        unit="万元",
        rows=tuple(rows),
        table_weight=table_weight,
        table_score=table_score,
        total=Printed.of(total[0]) if total else BLANK,
        grade_claimed=grade[0] if grade else None,
        categories=tuple(_categories(paragraphs)),
        computations=tuple(_computations(paragraphs, rows)),
        costs=_costs(paragraphs),
        sections=tuple(_sections(paragraphs)),
    )


# --- the framework table


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _table(table: list[tuple[int, str]], framework: Framework) -> tuple[list[ReportRow], Printed, Printed]:
    rows: list[ReportRow] = []
    level1 = level2 = ""
    level1_text = ""
    table_weight = table_score = BLANK
    for number, line in table:
        cells = _cells(line)
        if len(cells) < 8 or all(SEPARATOR_CELL.match(cell) for cell in cells if cell) or "三级指标" in cells[2]:
            continue  # the separator row, and the header repeated at each page break
        first, second, name, weight, explanation = cells[:5]
        criteria, achieved, score = "|".join(cells[5:-2]), cells[-2], cells[-1]
        if first.startswith("总分"):
            table_weight, table_score = Printed.of(weight), Printed.of(score)
            continue
        level1_weight = BLANK
        if first:
            match = LEVEL1_WEIGHT.match(first)
            level1 = match.group("name").strip() if match else first
            level1_weight = Printed.of(match.group("weight")) if match else BLANK
            level1_text = first
            level2 = ""
        level2 = second or level2
        position = sum(1 for row in rows if row.level1 == level1 and row.level2 == level2)
        rows.append(
            ReportRow(
                level1=level1,
                level2=level2,
                name=_framework_name(name, framework.group(level1, level2), position),
                weight=Printed.of(weight),
                score=Printed.of(score),
                achieved=achieved,
                explanation=explanation,
                criteria=criteria,
                level1_text=level1_text if first else "",
                level1_weight=level1_weight,
                name_text=name,
                line=number,
            )
        )
    return rows, table_weight, table_score


def _framework_name(printed: str, group: list, position: int) -> str:
    if any(item.name == printed for item in group) or position >= len(group):
        return printed
    candidate = group[position].name
    return candidate if candidate in printed else printed


# --- the running text


def _plain(text: str) -> str:
    """TeX formulas as plain text: `$(8109.65 \\text{ 万元} / 8140 \\text{ 万元})$` → (8109.65 万元 / 8140 万元)."""
    if "$" not in text and "\\" not in text:
        return text
    for pattern, replacement in TEX:
        text = pattern.sub(replacement, text)
    return re.sub(r"\s+", " ", text.replace("$", "")).strip()


def _paragraphs(body: list[tuple[int, str]]) -> Iterator[Paragraph]:
    """Non-empty lines as paragraphs, a line cut by a page break joined to the next."""
    pending: Paragraph | None = None
    for number, line in body:
        if not line:
            continue
        line = _plain(line)
        starts_block = _is_heading(line) or DATE.match(line)
        cut = pending is not None and len(pending.text) >= CUT_LINE and not pending.text.endswith(SENTENCE_END)
        if pending is not None and cut and not starts_block:
            pending = Paragraph(pending.text + line, pending.line)
            continue
        if pending is not None:
            yield pending
        pending = Paragraph(line, number)
    if pending is not None:
        yield pending


def _first(pattern: re.Pattern[str], paragraphs: list[Paragraph]) -> tuple[str, int] | None:
    for item in paragraphs:
        match = pattern.search(item.text)
        if match:
            return match.group(1), item.line
    return None


def _subject(title: str) -> str | None:
    subject = re.sub(r"^\s*20\d\d\s*年度?", "", title)
    subject = re.sub(r"(?:绩效)?评价报告$", "", subject).strip()
    return subject or None


def _amount(text: str, unit: str) -> Printed:
    """An amount as stated, its value in 元."""
    value = parse_number(text)
    if value is None:
        return Printed(text)
    return Printed(text, value * TEN_THOUSAND if unit == "万元" else value)


def _categories(paragraphs: list[Paragraph]) -> list[FundCategory]:
    """资金投入和使用情况: one statement per category. A statement whose amounts are the sum of
    the others' is the fund's total (我局…专项资金调整后预算金额 8140 万元 …), not a category."""
    found = []
    for item in paragraphs:
        for match in CATEGORY.finditer(item.text):
            unit = match.group(3)
            name = re.sub(r"^(?:我局|我中心|我单位|其中)", "", match.group("name").strip())
            arrived = match.group("arrived")
            found.append(
                FundCategory(
                    name=name,
                    budget=_amount(match.group(2), unit),
                    arrived=_amount(arrived, unit) if arrived else BLANK,
                    spent=_amount(match.group("spent"), unit),
                    rate=Printed.of(match.group("rate") + "%"),
                    line=item.line,
                )
            )
    for index, category in enumerate(found):
        others = found[:index] + found[index + 1 :]
        if len(others) >= 2 and _sums_to(category, others):
            return others
    return found


def _sums_to(total: FundCategory, parts: list[FundCategory]) -> bool:
    for field in ("budget", "spent"):
        values = [getattr(part, field).value for part in parts]
        if None in values or getattr(total, field).value != sum(values, Decimal(0)):  # type: ignore[arg-type]
            return False
    return True


def _computations(paragraphs: list[Paragraph], rows: list[ReportRow]) -> Iterator[Computation]:
    names = [row.name for row in rows]
    for item in paragraphs:
        for match in COMPUTATION.finditer(item.text):
            said = match.group("name")
            name = next((known for known in names if said.endswith(known)), None)
            split = _fraction(match.group("expression"))
            if name is None or split is None:
                continue
            score = SCORE_AFTER.search(match.group("after"))
            unit = "万元" if "万元" in match.group("expression") else ("元" if "元" in match.group("expression") else "")
            yield Computation(
                indicator=name,
                numerator=split[0],
                denominator=split[1],
                result=Printed.of(match.group("result") + "%"),
                score=Printed.of(score.group(1)) if score else BLANK,
                unit=unit,
                text=match.group(0).rstrip("，, "),
                line=item.line,
            )


def _fraction(expression: str) -> tuple[tuple[Decimal, ...], tuple[Decimal, ...]] | None:
    """`[(15+10+20)/(15+20+20)]` → ((15, 10, 20), (15, 20, 20)); a side with other operators
    is worked out to one term. None when there is no top-level `/` or a side cannot be read."""
    text = expression.translate(str.maketrans("［］（）−－", "[]()--"))
    text = re.sub(r"万元|元|\s", "", text)
    while text.startswith(("[", "(")) and _closing(text, 0) == len(text) - 1:
        text = text[1:-1]
    depth = 0
    for index, char in enumerate(text):
        depth += char in "([" 
        depth -= char in ")]"
        if char == "/" and depth == 0:
            left, right = _terms(text[:index]), _terms(text[index + 1 :])
            return (left, right) if left and right else None
    return None


def _closing(text: str, start: int) -> int:
    depth = 0
    for index in range(start, len(text)):
        depth += text[index] in "(["
        depth -= text[index] in ")]"
        if depth == 0:
            return index
    return -1


def _terms(side: str) -> tuple[Decimal, ...]:
    inner = side[1:-1] if side[:1] in "([" and _closing(side, 0) == len(side) - 1 else side
    parts = inner.split("+")
    try:
        if all(re.fullmatch(r"\d+(?:\.\d+)?", part) for part in parts):
            return tuple(Decimal(part) for part in parts)
        value = _evaluate(inner)
    except (InvalidOperation, ZeroDivisionError, ValueError):
        return ()
    return (value,) if value is not None else ()


_TOKEN = re.compile(r"\d+(?:\.\d+)?|[-+×x*/()\[\]]")


def _evaluate(text: str) -> Decimal | None:
    """A small arithmetic expression (+ − × / and brackets) in Decimal; None if malformed."""
    tokens = _TOKEN.findall(text)
    if "".join(tokens) != text:
        return None
    position = 0

    def expression() -> Decimal:
        nonlocal position
        value = term()
        while position < len(tokens) and tokens[position] in "+-":
            operator = tokens[position]
            position += 1
            value = value + term() if operator == "+" else value - term()
        return value

    def term() -> Decimal:
        nonlocal position
        value = factor()
        while position < len(tokens) and tokens[position] in ("×", "x", "*", "/"):
            operator = tokens[position]
            position += 1
            value = value / factor() if operator == "/" else value * factor()
        return value

    def factor() -> Decimal:
        nonlocal position
        if position >= len(tokens):
            raise ValueError("expression ends early")
        token = tokens[position]
        position += 1
        if token in "([":
            value = expression()
            position += 1  # the closing bracket
            return value
        if token == "-":
            return -factor()
        return Decimal(token)

    value = expression()
    return value if position == len(tokens) else None


def _costs(paragraphs: list[Paragraph]) -> CostStatement | None:
    for item in paragraphs:
        planned, actual = PLANNED_COST.search(item.text), ACTUAL_COST.search(item.text)
        if planned and actual:
            return CostStatement(_amount(*planned.groups()), _amount(*actual.groups()), item.line)
    return None


def _sections(paragraphs: list[Paragraph]) -> Iterator[Section]:
    """The narrative up to the 附表, cut at 一、… and （一）… headings."""
    heading: Paragraph | None = None
    level = 0
    texts: list[str] = []
    used: set[str] = set()
    for item in paragraphs:
        if item.text.startswith("附表"):
            break
        if _is_heading(item.text):
            if heading is not None:
                yield Section(_key(heading.text, used), heading.text, level, tuple(texts))
            heading, level, texts = item, 1 if HEADING1.match(item.text) else 2, []
        elif heading is not None:
            texts.append(item.text)
    if heading is not None:
        yield Section(_key(heading.text, used), heading.text, level, tuple(texts))


def _is_heading(text: str) -> bool:
    """一、… or （一）… on a short line: `（一）强化项目主管部门责任。项目主管部门应…` is a numbered paragraph."""
    return len(text) <= HEADING_MAX and bool(HEADING1.match(text) or HEADING2.match(text))


def _key(heading: str, used: set[str]) -> str:
    """A section's key (basic, funds, problems …, as drafted reports name them), unique in the report."""
    key = next((key for words, key in SECTION_KEYS if words in heading), None)
    if key is None or key in used:
        key = f"section{len(used) + 1}"
    used.add(key)
    return key
