"""Cell values as a spreadsheet displays them (单元格显示格式).

The layout readers read the text a unit sees, and that text carries meaning: a rate shown
`1.00` has two printed decimals, which sets the rate check's tolerance (checks.md), and a
cell holding 1 formatted `0%` reads `100%`, an actual value, not the count 1. calamine gives
bare numbers, so the workbook reader hands each numeric cell's Excel number format to
`display`, which renders the common codes: fixed decimals, thousands separators, percent,
literal text, and dates (`yyyy"年"m"月"d"日"`). Codes it does not render (fractions,
scientific, conditions, Chinese numerals `[DBNum1]`) fall back to the General display.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

GENERAL = "General"
# Built-in format ids (ECMA-376 Part 1 §18.8.30), with the zh-CN date formats Excel shows
# on a Chinese system. Ids missing here are rendered as General.
BUILTIN_FORMATS = {
    0: GENERAL,
    1: "0",
    2: "0.00",
    3: "#,##0",
    4: "#,##0.00",
    9: "0%",
    10: "0.00%",
    14: "yyyy/m/d",
    20: "h:mm",
    21: "h:mm:ss",
    22: "yyyy/m/d h:mm",
    37: "#,##0 ;(#,##0)",
    38: "#,##0 ;(#,##0)",
    39: "#,##0.00;(#,##0.00)",
    40: "#,##0.00;(#,##0.00)",
    49: "@",
    **dict.fromkeys((27, 36, 50, 52, 57), 'yyyy"年"m"月"'),
    **dict.fromkeys((28, 29, 51, 53, 54, 58), 'm"月"d"日"'),
    30: "m-d-yy",
    31: 'yyyy"年"m"月"d"日"',
    32: 'h"时"mm"分"',
    33: 'h"时"mm"分"ss"秒"',
}
# Excel's day 0 is 1899-12-30 in the 1900 date system (its phantom 1900-02-29 makes the
# serials from March 1900 on line up with this epoch).
_EPOCH_1900 = dt.datetime(1899, 12, 30)
_EPOCH_1904 = dt.datetime(1904, 1, 1)

# One token of a format section: a quoted literal, an escaped or padding/fill character,
# a bracketed modifier, a run of one date letter, AM/PM, or any single character.
_TOKEN = re.compile(r'"[^"]*"|\\.|[_*].|\[[^\]]*\]|[yY]+|[mM]+|[dD]+|[hH]+|[sS]+|AM/PM|A/P|上午/下午|.', re.DOTALL)
_DATE_LETTERS = frozenset("yYmMdDhHsS")
_DIGIT_PLACEHOLDERS = frozenset("0#?")
_UNSUPPORTED = frozenset("Ee/")  # scientific notation and fractions


@dataclass(frozen=True, slots=True)
class _NumberSection:
    """A numeric format section reduced to what the display needs."""

    prefix: str
    suffix: str
    min_integer: int  # '0' placeholders before the point: "0.5" vs ".5"
    min_decimals: int  # '0' placeholders after the point
    max_decimals: int  # all placeholders after the point
    grouping: bool  # thousands separators
    scale: Decimal  # ×100 per %, ÷1000 per trailing comma


@dataclass(frozen=True, slots=True)
class _DateSection:
    tokens: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Format:
    """A format code split into its positive and negative sections; None is General."""

    positive: _NumberSection | _DateSection | None
    negative: _NumberSection | None = None  # an explicit negative section prints no minus


def general(value: float | int) -> str:
    """The General display: integers without `.0`, at most 15 significant digits, never exponents."""
    if isinstance(value, int):
        return str(value)
    if value.is_integer() and abs(value) < 1e17:
        return str(int(value))
    text = f"{value:.15g}"
    if "e" in text:
        text = format(Decimal(text), "f")
    return text


def display(value: float | int | dt.date | dt.time | dt.timedelta, code: str, date1904: bool = False) -> str:
    """The text a cell holding `value` shows under format `code`."""
    form = _parse(code)
    section = form.positive
    if isinstance(section, _DateSection):
        if isinstance(value, (int, float)):
            value = _from_serial(value, date1904)
        if value is None:
            return ""
        return _render_date(value, section)
    if isinstance(value, (dt.date, dt.time, dt.timedelta)):
        return iso(value)
    if section is None:
        return general(value)
    if value < 0:
        return _render_number(-value, form.negative) if form.negative else "-" + _render_number(-value, section)
    return _render_number(value, section)


def iso(value: dt.date | dt.time | dt.timedelta) -> str:
    """A date or time without a known format: ISO, dropping a midnight time."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ", "seconds")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def is_general(code: str) -> bool:
    """Whether the code displays numbers as General does (so a cell needs no lookup)."""
    form = _parse(code)
    return form.positive is None and form.negative is None


@lru_cache(maxsize=512)
def _parse(code: str) -> _Format:
    sections = _split_sections(code)
    if not sections or sections[0].strip().lower() in {"general", "@", ""}:
        return _Format(None)
    tokens = _TOKEN.findall(sections[0])
    if any(token[0] in _DATE_LETTERS or token in {"AM/PM", "A/P", "上午/下午"} for token in tokens):
        return _Format(_DateSection(tuple(tokens)))
    positive = _number_section(tokens)
    if positive is None:
        return _Format(None)
    negative = _number_section(_TOKEN.findall(sections[1])) if len(sections) > 1 else None
    return _Format(positive, negative)


def _split_sections(code: str) -> list[str]:
    """The `;`-separated sections, ignoring `;` inside quotes and brackets."""
    sections, current, quoted, bracket = [], [], False, False
    for character in code:
        if character == '"' and not bracket:
            quoted = not quoted
        elif character == "[" and not quoted:
            bracket = True
        elif character == "]" and not quoted:
            bracket = False
        elif character == ";" and not quoted and not bracket:
            sections.append("".join(current))
            current = []
            continue
        current.append(character)
    sections.append("".join(current))
    return sections


def _number_section(tokens: list[str]) -> _NumberSection | None:
    prefix, suffix = [], []
    min_integer = min_decimals = max_decimals = 0
    grouping = after_point = seen_digit = False
    trailing_commas = percents = 0
    for token in tokens:
        first = token[0]
        if first == "[":
            if token[1:2] in {"<", ">", "="} or token[1:].upper().startswith("DBNUM"):
                return None  # conditions and Chinese numerals: shown as General
            continue  # colours and locale tags change no text
        if first in _UNSUPPORTED:
            return None
        if first in _DIGIT_PLACEHOLDERS:
            if trailing_commas:
                grouping, trailing_commas = True, 0  # a comma between placeholders groups
            seen_digit = True
            if after_point:
                max_decimals += 1
                min_decimals += first == "0"
            else:
                min_integer += first == "0"
            continue
        if token == "." and not after_point:
            after_point = seen_digit = True
            continue
        if token == "," and seen_digit and not after_point:
            trailing_commas += 1
            continue
        if token == "%":
            percents += 1
        literal = _literal(token)
        (suffix if seen_digit else prefix).append(literal)
    if not seen_digit:
        return None
    scale = Decimal(100) ** percents / Decimal(1000) ** trailing_commas
    return _NumberSection("".join(prefix), "".join(suffix), min_integer, min_decimals, max_decimals, grouping, scale)


def _literal(token: str) -> str:
    first = token[0]
    if first == '"':
        return token[1:-1]
    if first == "\\":
        return token[1]
    if first in "_*":
        return ""  # padding to a character's width, and fill: no text
    return token


def _render_number(value: float | int, section: _NumberSection) -> str:
    number = Decimal(repr(value)) * section.scale
    number = number.quantize(Decimal(1).scaleb(-section.max_decimals), rounding=ROUND_HALF_UP)
    whole, _, fraction = f"{number:f}".partition(".")
    fraction = fraction.ljust(section.max_decimals, "0")
    while len(fraction) > section.min_decimals and fraction.endswith("0"):
        fraction = fraction[:-1]
    if whole == "0" and section.min_integer == 0:
        whole = ""
    whole = whole.rjust(section.min_integer, "0")
    if section.grouping and len(whole) > 3:
        whole = f"{int(whole):,}"
    text = f"{whole}.{fraction}" if fraction else whole
    return f"{section.prefix}{text or '0'}{section.suffix}"


def _from_serial(serial: float | int, date1904: bool) -> dt.datetime | None:
    if not 0 <= serial < 2958466:  # Excel's last day is 9999-12-31
        return None
    return (_EPOCH_1904 if date1904 else _EPOCH_1900) + dt.timedelta(days=serial)


def _render_date(value: dt.date | dt.time | dt.timedelta, section: _DateSection) -> str:
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, dt.time):
        value = dt.datetime.combine(dt.date(1899, 12, 30), value)
    elif not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    twelve_hour = any(token in {"AM/PM", "A/P", "上午/下午"} for token in section.tokens)
    parts = []
    previous = ""  # the last date token, to tell months (m) from minutes (h:m, m:s)
    for index, token in enumerate(section.tokens):
        letter = token[0].lower()
        if letter in "ymdhs" and token[0] in _DATE_LETTERS:
            if letter == "m" and (previous == "h" or _next_date_letter(section.tokens, index) == "s"):
                letter = "minute"
            parts.append(_date_part(value, letter, len(token), twelve_hour))
            previous = letter if letter != "minute" else "m"
        elif token in {"AM/PM", "A/P"}:
            parts.append(("AM" if value.hour < 12 else "PM")[: 1 if token == "A/P" else 2])
        elif token == "上午/下午":
            parts.append("上午" if value.hour < 12 else "下午")
        elif token[0] == "[":
            continue
        else:
            parts.append(_literal(token))
    return "".join(parts)


def _next_date_letter(tokens: tuple[str, ...], index: int) -> str:
    for token in tokens[index + 1 :]:
        if token[0] in _DATE_LETTERS:
            return token[0].lower()
    return ""


def _date_part(value: dt.datetime, letter: str, width: int, twelve_hour: bool) -> str:
    if letter == "y":
        return f"{value.year % 100:02d}" if width <= 2 else str(value.year)
    if letter == "m":
        return str(value.month).zfill(min(width, 2))
    if letter == "d":
        return str(value.day).zfill(min(width, 2))
    if letter == "h":
        hour = (value.hour % 12 or 12) if twelve_hour else value.hour
        return str(hour).zfill(min(width, 2))
    if letter == "minute":
        return str(value.minute).zfill(min(width, 2))
    return str(value.second).zfill(min(width, 2))
