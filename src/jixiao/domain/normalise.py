"""Normalisation of 年度指标值 / 实际完成值 texts before they are classified.

Steps 1–7 of target-grammar.md §2, in that order. Each step that changes what a reader
would see is recorded as a fix code; the prefix split and the 万/亿 multipliers (steps 8–9)
belong to the value pattern in `jixiao.domain.grammar`.
"""

from __future__ import annotations

import re
import unicodedata

from jixiao.domain.labels import strip_html

# Fix codes (target-grammar.md §1 `extra.fixes`). `>=→≥` is the twin of `<=→≤`, which §1
# does not list because the samples only show `<=43万`.
FIX_HTML = "html"
FIX_FULLWIDTH = "fullwidth"
FIX_GUILLEMET = "》→≥"
FIX_GE_ASCII = ">=→≥"
FIX_LE_ASCII = "<=→≤"
FIX_THOUSANDS = "thousands_sep"
FIX_CN_NUMERAL = "cn_numeral"
FIX_FRACTION = "fraction_to_pct"
FIX_STATUS = "status_from_pct"
FIX_UNIT = "unit_assumed"

CJK = "\u3400-\u9fff\uf900-\ufaff"

_WHITESPACE = re.compile(r"\s+")
# Step 3 deletes a space between two CJK characters (`年度总体 目标`). A space next to an
# operator, a unit or a digit only splits a value apart (`≥ 90 %`), so it goes too; only a
# space between two Latin letters or digits survives.
_LOOSE_SPACE = re.compile(r"(?<![A-Za-z0-9]) | (?![A-Za-z0-9])")
_TRAILING_STOPS = "。.;"  # step 4; `；` is `;` after NFKC
_GE_ASCII = re.compile(r">=|=>|≧")
_LE_ASCII = re.compile(r"<=|=<|≦")
# A 》 opening the value or sitting before a digit is a typed ≥ (群众体育工作: 》62%, 》50所);
# elsewhere it closes a book title 《…》 and stays (domain.md §7.5).
_GUILLEMET_GE = re.compile(r"^》|》(?=[0-9])")
_THOUSANDS = re.compile(r"(?<=[0-9]),(?=[0-9]{3}(?![0-9]))")

_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# Chinese numerals count only before a classifier or 季度 (step 7), so that 一线 and
# 一街道一品牌 stay words. 分 is left out (十分满意 is "very satisfied"), and so is 批 (一批
# 符合条件的… is "a batch of", and a converted 1批 would hide the count after it).
_CLASSIFIER_AHEAD = (
    r"(?=个工作日|个月|季度|小时|分钟|人次|家次|场次"
    r"|[次场件份个套家处户册条期支项宗款所篇人名天周月日位台张轮届类种])"
)
_CN_NUMERAL = re.compile(r"[一二两三四五六七八九十]+" + _CLASSIFIER_AHEAD)


def normalise(text: str) -> tuple[str, tuple[str, ...]]:
    """A cell's text after steps 1–7 of target-grammar.md §2, with the fixes applied."""
    fixes: list[str] = []
    if "<" in text or "&" in text:
        stripped = strip_html(text)
        if stripped != text:
            fixes.append(FIX_HTML)
            text = stripped
    if not text.isascii():
        folded = unicodedata.normalize("NFKC", text)
        if folded != text:
            fixes.append(FIX_FULLWIDTH)
            text = folded
    text = _WHITESPACE.sub(" ", text).strip()
    if " " in text:
        text = _LOOSE_SPACE.sub("", text)
    text = text.rstrip(_TRAILING_STOPS).rstrip()
    if "=" in text or "≧" in text or "≦" in text:
        text = _replace(_GE_ASCII, "≥", text, FIX_GE_ASCII, fixes)
        text = _replace(_LE_ASCII, "≤", text, FIX_LE_ASCII, fixes)
    if "》" in text:
        text = _replace(_GUILLEMET_GE, "≥", text, FIX_GUILLEMET, fixes)
    if "," in text:
        text = _replace(_THOUSANDS, "", text, FIX_THOUSANDS, fixes)
    if not text.isascii():
        converted = _CN_NUMERAL.sub(_numeral_digits, text)
        if converted != text:
            fixes.append(FIX_CN_NUMERAL)
            text = converted
    return text, tuple(fixes)


def cn_number(numeral: str) -> int | None:
    """一 … 九十九 as an int (两 = 2); None for a run that is not one number (一一, 十十)."""
    if numeral.isdigit():
        return int(numeral)
    tens, ten, ones = numeral.partition("十")
    if not ten:
        return _CN_DIGITS.get(numeral) if len(numeral) == 1 else None
    if len(tens) > 1 or len(ones) > 1:
        return None
    high = _CN_DIGITS.get(tens, 0 if tens else 1) if tens != "两" else None
    low = _CN_DIGITS.get(ones, 0) if ones else 0
    if high is None or (tens and high == 0) or (ones and low == 0):
        return None
    return high * 10 + low


def _numeral_digits(match: re.Match[str]) -> str:
    number = cn_number(match.group())
    return match.group() if number is None else str(number)


def _replace(pattern: re.Pattern[str], new: str, text: str, fix: str, fixes: list[str]) -> str:
    replaced = pattern.sub(new, text)
    if replaced != text:
        fixes.append(fix)
    return replaced
