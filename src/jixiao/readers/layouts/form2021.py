"""The 2021 self-evaluation layout (luohu 2021, shenzhen 2021; domain.md §5.1–5.2).

Its header prints 项目名称 … 项目金额 and 主管部门 … 实施单位 (实施单位 may be empty, 主管部门
may be a code such as `0102017`), and 执行率 is a two-decimal fraction (0.56).
"""

from __future__ import annotations

from jixiao.domain.model import Form
from jixiao.readers.layouts.common import Region
from jixiao.readers.layouts.selfeval import FormLayout, read_form

LAYOUT = FormLayout(name="form-2021", rate_scale=1)
_MARKERS = frozenset({"项目金额", "项目金额(元)", "主管部门"})


def matches(region: Region) -> bool:
    """项目金额 or 主管部门 in the header; tried after form-2022, so a bare 项目名称 header
    without either layout's markers is read as this, the older template."""
    keys = region.head_keys()
    return bool(keys & _MARKERS) or "项目名称" in keys


def read(region: Region, index: int) -> tuple[list[Form], int]:
    """The region's form, and the position of its last row."""
    form, end = read_form(region, LAYOUT, index)
    return [form], end
