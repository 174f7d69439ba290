"""Grammar of 年度指标值 (target) and 实际完成值 (actual) texts: target-grammar.md.

`parse_target` and `parse_actual` turn a cell into a `ParsedValue`; scoring and the checks
work on that value only. `infer_direction` gives a row's 正向/反向 and `unit_relation` says
whether an actual measures what its target measures. All are pure and never raise: text
that cannot be read comes back `invalid`, or with `undetermined` set to a reason code of
§7 (constants in `jixiao.domain.parsed`; `no_year` and `bad_date` are added for deadlines).
`needs_budget` is scoring's: a budget target's value comes from the funds block.

The parsers are memoised on all their arguments (real forms repeat 100%, 不适用 and 无 a
lot); `ParsedValue` is frozen, so sharing a cached value is safe.

The work is split by concern: `normalise` (§2 steps 1–7), `quantities` (numbers, §2 steps
8–9 and §3 classes 7–12), `deadlines` (class 6), `against_target` (§4), `units` (§5),
`direction` (§6). This module classifies (§3) and is the public face.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import MAXYEAR, MINYEAR
from decimal import Decimal
from functools import lru_cache
from typing import Any

from jixiao.domain.against_target import comparability, fit_actual, status_of_words, target_unit
from jixiao.domain.deadlines import NOTE_QUARTER_BEFORE, DeadlineText, read_deadline
from jixiao.domain.direction import direction_of
from jixiao.domain.labels import read_label, squeeze
from jixiao.domain.normalise import CJK, normalise
from jixiao.domain.parsed import (
    BAD_DATE,
    EMPTY,
    LABEL_ONLY,
    NO_YEAR,
    TRUNCATED,
    Direction,
    Kind,
    Op,
    ParsedValue,
    Status,
)
from jixiao.domain.quantities import names_rank, read_clock_range, read_quantity, read_rank
from jixiao.domain.units import DATE_UNIT, MONEY_UNIT, is_money, is_money_context, unit_relation

__all__ = [
    "MONEY_UNIT",
    "NOTE_QUARTER_BEFORE",
    "Direction",
    "Kind",
    "Op",
    "ParsedValue",
    "Status",
    "infer_direction",
    "is_money",
    "parse_actual",
    "parse_target",
    "unit_relation",
]

_CACHE_SIZE = 16384

_NA = re.compile(r"无|不适用|不涉及|无此项|暂无|[—–\-/]+|本项目不涉及.*")
# Cut off mid-phrase: a list or an operator with nothing after it (每周巡查星级宾馆酒店、网吧、).
_DANGLING = re.compile(r"(?:[、,]|不少|不低|不超|不高|不少于|不低于|不超过|不高于|至少|[≥≤<>]|约|达到|达|为)$")
# A measure named without a value (summary: 社会满意度), unless a verb makes it a goal.
_MEASURE_END = re.compile(r"(?:满意度|率|数量|次数|人数|金额|费用|指标|比例|占比)$")
_GOAL_VERB = re.compile(r"提高|提升|降低|减少|增加|增强|改善|扩大|保持|确保|达到|实现|促进|优化|加强|控制|有效|明显|显著|不断|逐步|稳步")
_DIGIT = re.compile(r"[0-9]")
_PART_SEPARATOR = re.compile(r"[,;、。]")
_TRAILING_SEPARATORS = (",", "、")
_ZERO_WORDS = re.compile(
    rf"[{CJK}]*?(?:(?:无|未|零)(?:出现|发生)?(?:重大|重点|安全|责任|有效)*(?:事故|投诉|差错|故障)(?:发生)?"
    rf"|(?:投诉|事故|差错|故障)[{CJK}]*?为?零)"
)
_BUDGET = re.compile(
    rf"[{CJK}]*?(?:控制在|不超过|不超出|不突破|在)(?:年度|全年|项目)?预算"
    r"(?:数|金额|额|资金|范围|控制数|控制额)?(?:之|以)?内?"
)
_PERIOD_WORDS = re.compile(
    r"(?P<year>全年)(?:有计划地|持续|常态化|按计划|按照规定|按规定)?(?:开展|进行|实施|执行|发放|支付)?"
    r"|全天候?"
    r"|[按每](?P<per>月度?|季度?|年度?|周|天|日)(?:发放|开展|支付|拨付|进行|执行|考核|更新|发布)?"
)
_PERIOD_PER = {"月度": "月", "季": "季度", "年度": "年", "日": "天"}
_ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class _Reading:
    """What classifying one text needs besides the text."""

    actual: bool  # an actual (实际完成值), read against its target
    money: bool  # a bare 万/亿 means 万元/亿元 (§5)
    fiscal_year: int | None
    year: int | None  # the year a deadline without one falls in
    name_key: str  # the 三级 name, squeezed, to spot a cell that repeats it
    assumed_unit: str | None = None  # an actual's target's unit, for a bare 万


@lru_cache(maxsize=_CACHE_SIZE)
def parse_target(
    text: str | None,
    *,
    level2: str | None = None,
    name: str | None = None,
    fiscal_year: int | None = None,
) -> ParsedValue:
    """Parse a 年度指标值 cell (target-grammar.md §2–§3). Never raises.

    The first class that matches wins: na, invalid, zero, budget, multi, deadline, range,
    approx, ge/gt, le/lt, period, eq, qual. `level2` and `name` decide whether a bare 万 is
    money and the row's direction (set on the value and its parts, §6); `fiscal_year` is
    the year of a deadline that names none (12月31日前 → <fiscal_year>-12-31). Without it
    such a deadline has value None, `month_day` set and undetermined `no_year`.
    """
    reading = _Reading(
        actual=False,
        money=is_money_context(level2, name),
        fiscal_year=fiscal_year,
        year=fiscal_year,
        name_key=squeeze(name) if name else "",
    )
    value = _classify(text, reading)
    if value.kind in (Kind.NA, Kind.INVALID):
        return value
    direction, source = direction_of(value, level2, name)
    parts = value.parts
    if parts:
        parts = tuple(part if part.kind is Kind.INVALID else _with_direction(part, level2, name) for part in parts)
    return replace(value, direction=direction, direction_source=source, parts=parts)


@lru_cache(maxsize=_CACHE_SIZE)
def parse_actual(
    text: str | None,
    target: ParsedValue,
    *,
    level2: str | None = None,
    name: str | None = None,
    fiscal_year: int | None = None,
) -> ParsedValue:
    """Parse a 实际完成值 cell against its row's target (target-grammar.md §4). Never raises.

    The target supplies what the actual leaves out: a missing unit (46 → 46人, fix
    `unit_assumed`), a % context (0.95 → 95%, fix `fraction_to_pct`), the year of a bare
    month (6月; the target's year when the form has no fiscal year). A `100%` or more on a
    qual, deadline, period or zero target is read as the status `met` (fix
    `status_from_pct`); below 100% it stays a pct without a status, because only the
    profile's band edges can say partial or unmet (scoring.md §3.10). Dates (第一季度已完成,
    6月), period words (每月发放) and completion words (已完成, 未完成) carry a status.
    `undetermined` says why the actual cannot be set against the target: `qual_unmapped`,
    `date_vs_value`, `unit_incompatible`, `multi_unmatched`, `scale_unknown`, or a reason
    of its own parse (`empty`, `label_only`, `truncated`, `no_year`).
    """
    year = fiscal_year
    if year is None and target.kind is Kind.DEADLINE and target.value is not None:
        year = target.value.year  # type: ignore[union-attr]
    reading = _Reading(
        actual=True,
        money=is_money_context(level2, name),
        fiscal_year=fiscal_year,
        year=year,
        name_key=squeeze(name) if name else "",
        assumed_unit=target_unit(target),
    )
    value = _classify(text, reading)
    if value.kind is Kind.MULTI:
        value = replace(value, parts=tuple(fit_actual(part, target) for part in value.parts))
    else:
        value = fit_actual(value, target)
    if value.undetermined is None:
        reason = comparability(target, value)
        if reason is not None:
            value = replace(value, undetermined=reason)
    return value


@lru_cache(maxsize=_CACHE_SIZE)
def infer_direction(
    target: ParsedValue, *, level2: str | None = None, name: str | None = None
) -> tuple[Direction, str]:
    """Direction of a row and its source: operator, category, keyword or default (§6).

    - operator: the target's ≥ > (positive) or ≤ < (reverse); kinds zero and budget and a
      rank (名次) are reverse, a period is positive (scoring.md §3.7); a multi whose parts
      agree; an operator word ending the 三级 name (审查合同份数不少于 + 200 ⇒ positive).
    - category: 成本 ⇒ reverse, but a rate name (下达率, 到位率, 执行率 …) ⇒ positive;
      时效 with a duration unit (小时, 天, 个工作日, 个月) ⇒ reverse.
    - keyword in the name: a name ending in a rate word (满意度, 覆盖率 …) ⇒ positive, else
      a reverse word (投诉, 事故, 费用 …) ⇒ reverse, else a count word (人次, 数量 …) ⇒ positive.
    - default: positive.
    """
    return direction_of(target, level2, name)


def _with_direction(value: ParsedValue, level2: str | None, name: str | None) -> ParsedValue:
    direction, source = direction_of(value, level2, name)
    return replace(value, direction=direction, direction_source=source)


# --- classification (§3)


def _classify(text: str | None, reading: _Reading) -> ParsedValue:
    raw = text or ""
    normalized, fixes = normalise(raw)
    base = {"raw": raw, "normalized": normalized, "fixes": fixes}
    if not normalized:
        return ParsedValue(Kind.INVALID, undetermined=EMPTY, **base)
    if _NA.fullmatch(normalized):
        return ParsedValue(Kind.NA, **base)
    invalid = _invalid_reason(normalized, reading)
    if invalid is not None:
        return ParsedValue(Kind.INVALID, undetermined=invalid, **base)
    pieces = _split_parts(normalized)
    if len(pieces) > 1 and any(_bears_value(piece) for piece in pieces):
        parts = tuple(_classify_part(piece, reading) for piece in pieces)
        return ParsedValue(Kind.MULTI, parts=parts, **base)
    return _classify_single(normalized, reading, base)


def _invalid_reason(text: str, reading: _Reading) -> str | None:
    if _DIGIT.search(text):
        return None
    if _DANGLING.search(text):
        return TRUNCATED
    if text == reading.name_key or read_label(text) is not None:
        return LABEL_ONLY
    if _MEASURE_END.search(text) and not _GOAL_VERB.search(text):
        return LABEL_ONLY
    return None


def _split_parts(text: str) -> list[str]:
    """List items (2次培训,共500人次); a `共` after a number starts a second measure (§3
    class 5). A text that ends in a separator was cut off: an empty last piece marks it."""
    pieces: list[str] = []
    for piece in _PART_SEPARATOR.split(text):
        total = piece.find("共", 1)
        if total > 0 and _DIGIT.search(piece, 0, total) and _DIGIT.search(piece, total):
            pieces += [piece[:total], piece[total:]]
        elif piece:
            pieces.append(piece)
    if text.endswith(_TRAILING_SEPARATORS):
        pieces.append("")
    return pieces


def _bears_value(piece: str) -> bool:
    return bool(_DIGIT.search(piece) or _ZERO_WORDS.fullmatch(piece) or names_rank(piece))


def _classify_part(piece: str, reading: _Reading) -> ParsedValue:
    """One item of a multi; a cut-off one (每款印制不少, or nothing after 、) is `truncated`."""
    base = {"raw": piece, "normalized": piece, "fixes": ()}
    if not piece or (not _DIGIT.search(piece) and _DANGLING.search(piece)):
        return ParsedValue(Kind.INVALID, undetermined=TRUNCATED, **base)
    return _classify_single(piece, reading, base)


def _classify_single(text: str, reading: _Reading, base: dict[str, Any]) -> ParsedValue:
    """One value: classes 3, 4 and 6–13 of §3, in order (a rank is a quantity, class 12)."""
    if _ZERO_WORDS.fullmatch(text):
        if reading.actual:
            return ParsedValue(Kind.QUANT, Op.EQ, _ZERO, word=text, **base)
        return ParsedValue(Kind.ZERO, Op.LE, _ZERO, word=text, **base)
    if _BUDGET.fullmatch(text):
        return ParsedValue(Kind.BUDGET, Op.LE, None, MONEY_UNIT, ref="全年预算数", word=text, **base)
    deadline = read_deadline(text)
    if deadline is not None:
        return _deadline(deadline, reading, base)
    # A rank reads before a count: 前3名 is a place, not three persons.
    rank = read_rank(text, base)
    if rank is not None:
        return rank
    if _DIGIT.search(text):
        value = read_clock_range(text, base) or read_quantity(
            text, base, money=reading.money, assumed_unit=reading.assumed_unit, as_target=not reading.actual
        )
        if value is not None:
            return value
    period = _PERIOD_WORDS.fullmatch(text)
    if period is not None:
        per = period["per"] or ("年" if period["year"] else None)
        status = Status.MET if reading.actual else None
        return ParsedValue(Kind.PERIOD, per=_PERIOD_PER.get(per or "", per), word=text, status=status, **base)
    status = status_of_words(text) if reading.actual else None
    return ParsedValue(Kind.QUAL, word=text, status=status, **base)


def _deadline(deadline: DeadlineText, reading: _Reading, base: dict[str, Any]) -> ParsedValue:
    year = deadline.year or reading.year
    if year is not None and not MINYEAR <= year <= MAXYEAR:
        year = None
    value = deadline.on(year) if year is not None else None
    status = None
    if reading.actual:
        # A date in an actual says when the work was done (第一季度已完成, 6月).
        status = Status.UNMET if deadline.tail and status_of_words(deadline.tail) is Status.UNMET else Status.MET
    return ParsedValue(
        Kind.DEADLINE,
        Op.EQ if reading.actual else Op.LE,
        value,
        DATE_UNIT,
        prefix=deadline.prefix,
        word=deadline.tail,
        status=status,
        beyond_year=value is not None and reading.fiscal_year is not None and value.year > reading.fiscal_year,
        undetermined=NO_YEAR if year is None else BAD_DATE if value is None else None,
        notes=deadline.notes,
        month_day=deadline.month_day,
        **base,
    )
