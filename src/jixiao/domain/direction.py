"""Direction of an indicator row, 正向 or 反向指标 (target-grammar.md §6).

Decided in priority order, and the deciding rule is returned with the direction:
operator (of the target, or an operator word ending the 三级 name), category (二级),
keyword (in the 三级 name), default (positive).
"""

from __future__ import annotations

import re

from jixiao.domain.labels import squeeze
from jixiao.domain.parsed import Direction, Kind, Op, ParsedValue
from jixiao.domain.units import CLOCK_UNIT, DATE_UNIT, DURATION_UNITS, MONEY_LEVEL2, MONEY_UNIT, PERCENT_UNIT, RANK_UNIT

OPERATOR = "operator"
CATEGORY = "category"
KEYWORD = "keyword"
DEFAULT = "default"

_NOT_COUNTS = frozenset({MONEY_UNIT, PERCENT_UNIT, DATE_UNIT, CLOCK_UNIT, RANK_UNIT})
_POSITIVE_OPS = frozenset({Op.GE, Op.GT})
_REVERSE_OPS = frozenset({Op.LE, Op.LT})
# 行政运行 (2021): name 审查合同份数不少于, target 200; name 就餐人数不少于, target 30人.
_NAME_POSITIVE_OP = re.compile(r"(?:不少于|不低于|至少|以上|不小于|大于|高于|超过)$")
_NAME_REVERSE_OP = re.compile(r"(?:不超过|不高于|以内|以下|不大于|小于|低于)$")
# A 成本 row measuring a process rate is positive (and indicator.category fires).
_RATE_NAME = re.compile(r"下达率|到位率|支出进度达标率|执行率|完成率")
_REVERSE_WORD = re.compile(r"投诉|事故|故障|差错|偏差率|超支|成本|费用|单价|时长|时限|用时|响应时间|办结时间|排名")
_POSITIVE_RATE = (
    r"满意度|覆盖率|合格率|达标率|完成率|及时率|准确率|参与率|参与度|到位率|知晓率|开馆率"
    # A rate of handling something bad is still "more is better": 举报投诉处置率 ≥90%.
    r"|处置率|办结率|处理率|结案率|解决率|回复率|受理率|验收率|发放率|保障率|普及率"
)
_POSITIVE_RATE_END = re.compile(rf"(?:{_POSITIVE_RATE})$")
_POSITIVE_WORD = re.compile(rf"{_POSITIVE_RATE}|人次|场次|数量|次数|人数")


def direction_of(target: ParsedValue, level2: str | None, name: str | None) -> tuple[Direction, str]:
    """The row's direction and its source; see `jixiao.domain.grammar.infer_direction`."""
    stated = _stated(target)
    if stated is not None:
        return stated, OPERATOR
    key = squeeze(name) if name else ""
    if _NAME_POSITIVE_OP.search(key):
        return Direction.POSITIVE, OPERATOR
    if _NAME_REVERSE_OP.search(key):
        return Direction.REVERSE, OPERATOR
    if level2 in MONEY_LEVEL2 and not _counts_things(target):
        return (Direction.POSITIVE if _RATE_NAME.search(key) else Direction.REVERSE), CATEGORY
    if level2 == "时效" and _unit_of(target) in DURATION_UNITS:
        return Direction.REVERSE, CATEGORY
    # A name ending in a rate word is about that rate (投诉处理满意度 is positive); a
    # reverse word elsewhere outweighs a generic count (社会公众投诉次数 is reverse).
    if _POSITIVE_RATE_END.search(key):
        return Direction.POSITIVE, KEYWORD
    if _REVERSE_WORD.search(key):
        return Direction.REVERSE, KEYWORD
    if _POSITIVE_WORD.search(key):
        return Direction.POSITIVE, KEYWORD
    return Direction.POSITIVE, DEFAULT


def _stated(target: ParsedValue) -> Direction | None:
    """The direction the target itself states: its operator, or its kind."""
    if target.kind in (Kind.ZERO, Kind.BUDGET) or target.unit == RANK_UNIT:
        return Direction.REVERSE
    if target.kind is Kind.PERIOD:
        # A frequency is a minimum: 每年至少两次, 365天/年 score as positive (scoring.md §3.7).
        return Direction.POSITIVE
    if target.op in _POSITIVE_OPS:
        return Direction.POSITIVE
    if target.op in _REVERSE_OPS:
        return Direction.REVERSE
    if target.kind is Kind.MULTI:
        stated = {_stated(part) for part in target.parts if part.kind is not Kind.INVALID} - {None}
        return stated.pop() if len(stated) == 1 else None
    return None


def _counts_things(target: ParsedValue) -> bool:
    """A count of things (场, 次, 人 …) is an output, not a cost, whatever its 二级 label says.

    文化产业规划及服务 (luohu 2021) files `1场营商环境推介会 → 5场` under a shifted 成本指标
    label (domain.md §7.2); reading it as a cost ceiling would score 5场 as 0.
    """
    unit = _unit_of(target)
    return unit is not None and unit not in _NOT_COUNTS and unit not in DURATION_UNITS


def _unit_of(target: ParsedValue) -> str | None:
    if target.kind is Kind.MULTI:
        units = {part.unit for part in target.parts}
        return units.pop() if len(units) == 1 else None
    return target.unit
