"""Deadlines and dates in 年度指标值 / 实际完成值 (target-grammar.md §3 class 6).

A deadline is the last day of the period it names: 7月底前 → 07-31, 第2季度 → 06-30,
2022年底 → 12-31. The year defaults to the form's fiscal year, which the caller supplies.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from jixiao.domain.normalise import CJK

# 第N季度前 may mean the start or the end of quarter N; jixiao reads the end (scoring.md Q9).
NOTE_QUARTER_BEFORE = "第N季度前按季度末理解（也可能指季度初，scoring.md Q9）"

_DEADLINE = re.compile(
    rf"(?P<prefix>[{CJK}]*?)"
    r"(?:(?P<year>(?:19|20)[0-9]{2})年度?|(?P<this_year>本年度?|今年|当年|年度?)(?=底|末|内))?"
    r"(?:"
    r"第?(?P<quarter>[1-4])季度(?:末|底)?"
    r"|(?P<half>上|下)半年"
    r"|(?P<month>1[0-2]|0?[1-9])月份?(?:(?P<day>3[01]|[12][0-9]|0?[1-9])[日号])?"
    r"(?P<part>上旬|中旬|下旬|初|中|底|末)?"
    r"|(?P<year_end>底|末|内)"
    r")?"
    r"(?P<before>之前|以前|前|止)?"
    rf"(?P<tail>[{CJK}]*)"
)
# Only a short text that names a year, month or quarter can be a deadline; the check keeps the
# pattern (lazy prefix) off long narratives.
_DATE_HINT = re.compile(r"[0-9](?:年|月|季度)|年[底末内]|[上下]半年")
_LONGEST_DEADLINE = 40
_EARLY_PART = {"上旬": 10, "初": 10, "中旬": 20, "中": 20}
_NO_LEAP_YEAR = 2001  # month ends without a year: 2月底 is 02-28


@dataclass(frozen=True, slots=True)
class DeadlineText:
    """What a deadline text names, before a default year is applied."""

    prefix: str | None
    year: int | None  # written in the text
    month: int
    day: int | None  # None: the last day of the month, known once the year is
    tail: str | None  # 完成, 举办, 已完成验收 …
    notes: tuple[str, ...]

    def on(self, year: int) -> date | None:
        """The deadline in `year` (None for an impossible date such as 2月30日)."""
        last = calendar.monthrange(year, self.month)[1]
        day = last if self.day is None else self.day
        return date(year, self.month, day) if day <= last else None

    @property
    def month_day(self) -> tuple[int, int]:
        """(month, day) without a year, for year-less comparison."""
        if self.day is not None:
            return self.month, self.day
        return self.month, calendar.monthrange(self.year or _NO_LEAP_YEAR, self.month)[1]


def read_deadline(text: str) -> DeadlineText | None:
    """Read a whole normalised text as a deadline, or None when it names no date."""
    if len(text) > _LONGEST_DEADLINE or not _DATE_HINT.search(text):
        return None
    match = _DEADLINE.fullmatch(text)
    if match is None:
        return None
    found = match.groupdict()
    year = int(found["year"]) if found["year"] else None
    notes: tuple[str, ...] = ()
    day: int | None = None
    if found["quarter"]:
        month = 3 * int(found["quarter"])
        if found["before"]:
            notes = (NOTE_QUARTER_BEFORE,)
    elif found["half"]:
        month = 6 if found["half"] == "上" else 12
    elif found["month"]:
        month = int(found["month"])
        day = int(found["day"]) if found["day"] else _EARLY_PART.get(found["part"] or "")
    elif year is not None or (found["this_year"] and found["year_end"]):
        month = 12  # 2022年, 2022年底, 年底前完成: the end of the year
    else:
        return None
    return DeadlineText(
        prefix=found["prefix"] or None,
        year=year,
        month=month,
        day=day,
        tail=found["tail"] or None,
        notes=notes,
    )
