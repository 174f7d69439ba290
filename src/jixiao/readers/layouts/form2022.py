"""The 2022 self-evaluation layout (luohu 2022; domain.md §5.3).

Its header prints 项目编码, 项目名称, 绩效自评年度, 实施单位 and 一级预算单位; 执行率 is a
percentage (`执行率(%)`: 59.7); every indicator row repeats `年度绩效指标` and its 一级 with
the block weight (`产出(50分)`), which the shared indicator reader handles.
"""

from __future__ import annotations

from jixiao.domain.model import Form
from jixiao.readers.layouts.common import Region
from jixiao.readers.layouts.selfeval import FormLayout, read_form

LAYOUT = FormLayout(name="form-2022", rate_scale=100)
_MARKERS = frozenset({"项目编码", "绩效自评年度", "自评年度", "一级预算单位"})


def matches(region: Region) -> bool:
    """项目编码, 绩效自评年度 or 一级预算单位 in the header."""
    return bool(region.head_keys() & _MARKERS)


def read(region: Region, index: int) -> tuple[list[Form], int]:
    """The region's form, and the position of its last row."""
    form, end = read_form(region, LAYOUT, index)
    return [form], end
