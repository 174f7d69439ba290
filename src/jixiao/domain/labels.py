"""Category labels (一级/二级指标) and the text clean-up every layer shares.

The label list is closed (target-grammar.md §6): a cell is a label only when, after
clean-up, the whole cell is one of them. `党员满意度指标` ends in 指标 but is a 三级 name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

LEVEL1 = ("产出", "效益", "满意度", "成本")
LEVEL2_OF = {
    "产出": ("数量", "质量", "时效", "成本"),
    "效益": ("经济效益", "社会效益", "生态效益", "可持续影响"),
    "满意度": ("服务对象满意度", "其他满意度", "满意度"),
    "成本": ("经济成本", "社会成本", "生态成本"),
}
# Which 一级 a 二级 belongs to. 成本 under 产出 is the common case (scoring.md Q14).
PARENT_OF = {
    level2: level1
    for level1 in ("成本", "满意度", "效益", "产出")
    for level2 in LEVEL2_OF[level1]
}

_HTML_TAG = re.compile(r"</?(?:p|br|div|span|b|i|u|strong|em|font)\b[^>]*>", re.IGNORECASE)
_BLOCK_TAG = re.compile(r"</p\s*>|<br\s*/?>|</div\s*>", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u3000\xa0]+")
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}]) (?=[{_CJK}])")
_WEIGHT_SUFFIX = re.compile(r"[(（]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]$")


def strip_html(text: str) -> str:
    """Remove <p>, <br> … tags, keeping paragraph breaks, and decode entities.

    Only known HTML tags go: `<深圳市实施全民健身设施智能化提升工作方案(2020-2022年)>` is text.
    """
    if "<" not in text and "&" not in text:
        return text
    text = _BLOCK_TAG.sub("\n", text)
    text = _HTML_TAG.sub("", text)
    if "&" in text:
        import html

        text = html.unescape(text)
    return text.strip("\n")


def clean_text(text: str | None) -> str | None:
    """A narrative or name cell as the JSON keeps it: tags removed, whitespace collapsed.

    Paragraph breaks from <p> survive as single newlines. Empty text becomes None.
    """
    if text is None:
        return None
    text = strip_html(text)
    lines = [_collapse_spaces(line).strip() for line in text.split("\n")]
    joined = "\n".join(line for line in lines if line)
    return joined or None


def _collapse_spaces(line: str) -> str:
    """Every run of spaces as one space. A line whose spaces are all single ones stays as it is,
    and is not searched: scanning a 1,000-character narrative costs more than these tests."""
    if "  " in line or "\t" in line or "\u3000" in line or "\xa0" in line:
        return _SPACES.sub(" ", line)
    return line


def squeeze(text: str) -> str:
    """Fold a label for matching: NFKC (full-width → half-width) and no spaces at all."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text)).replace(" ", "")


def join_cjk(text: str) -> str:
    """Delete a space between two CJK characters (`年度总体 目标` → `年度总体目标`)."""
    return _CJK_GAP.sub("", text)


@dataclass(frozen=True, slots=True)
class Label:
    """A category cell read against the closed list."""

    level: int  # 1 or 2
    canonical: str
    weight: float | None = None  # `产出(50分)` carries 50


def read_label(text: str | None) -> Label | None:
    """Read a 一级/二级 cell; None when the cell is not exactly a known label.

    "满意度指标" maps to 一级 满意度 in either column (target-grammar.md §6).
    """
    if not text:
        return None
    folded = squeeze(text)
    weight = None
    match = _WEIGHT_SUFFIX.search(folded)
    if match:
        weight = float(match.group(1))
        folded = folded[: match.start()]
    bare = folded[:-2] if folded.endswith("指标") else folded
    if bare == "满意度":
        return Label(1, "满意度", weight)
    if bare in LEVEL1 and (bare != "成本" or weight is not None):
        # A bare 成本 is the 二级 under 产出; only `成本(20分)` makes it a 一级 block.
        return Label(1, bare, weight)
    if bare in PARENT_OF:
        return Label(2, bare, weight)
    return None
