"""Glyphs to text for the PDF reader: fake-bold doubles dropped, lines joined, gaps spaced.

pdfplumber gives one object per drawn glyph. A PDF has no spaces or line breaks as such:
a space is often just a gap, and a cell's text wraps wherever the column ends, anywhere in
Chinese. So the lines of a cell are joined as `join_lines` says, which gives back the text
the unit typed, except for a space it typed where the line happened to wrap: no PDF keeps
that one.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

Char = dict[str, Any]  # pdfplumber's glyph object: text, x0, x1, top, bottom, size…

_DOUBLED = 1.0  # pt: the same glyph drawn again this close is fake bold
_SPACE_GAP = 0.15  # × font size: a wider gap between two glyphs is a space not drawn as one
_LINE_OVERLAP = 0.5  # × glyph height: a glyph this far below a line's top starts a new line
_PARAGRAPH = 1.7  # × font size: lines further apart than any line spacing are two paragraphs
_SPACED_MARKS = frozenset(",;:")  # ASCII marks some units follow with a space, others not
_BREAKS_AFTER = frozenset("/-")  # Latin lines may break after these without a space
_NO_LINE_START = frozenset("、。，．：；！？）》」』】〕…%,.:;!?)")  # Chinese line breaking keeps these off a line's start
_QUOTES = frozenset("“”‘’\"'")  # line breaking keeps quotation marks with both neighbours (UAX #14, QU)


def drop_doubled_glyphs(chars: Sequence[Char]) -> tuple[Sequence[Char], int]:
    """The glyphs without fake-bold doubles, and how many were dropped.

    Some office suites embolden a font that has no bold face by drawing every glyph twice,
    a fraction of a point apart; pdfplumber then reads "项项目目名名称称". The first drawing of
    each glyph is kept. (pdfplumber's `dedupe_chars` does the same but puts the result back
    in order with `list.index`, which is quadratic in the glyphs of a page.)
    """
    by_line: dict[tuple[str, int], list[Char]] = {}
    kept: list[Char] = []
    for char in chars:
        text, x0, top = char["text"], char["x0"], char["top"]
        line = int(top)
        if not any(
            abs(other["x0"] - x0) <= _DOUBLED and abs(other["top"] - top) <= _DOUBLED
            for key in ((text, line), (text, line - 1), (text, line + 1))
            for other in by_line.get(key, ())
        ):
            by_line.setdefault((text, line), []).append(char)
            kept.append(char)
    dropped = len(chars) - len(kept)
    return (kept, dropped) if dropped else (chars, 0)


def text_lines(chars: Sequence[Char]) -> list[list[Char]]:
    """Glyphs grouped into lines, top to bottom, each line left to right."""
    lines: list[list[Char]] = []
    line_top = float("-inf")
    for char in sorted(chars, key=lambda char: char["top"]):
        if char["top"] - line_top > _LINE_OVERLAP * char["height"]:
            lines.append([char])
            line_top = char["top"]
        else:
            lines[-1].append(char)
    for line in lines:
        line.sort(key=lambda char: char["x0"])
    return lines


def line_text(line: Sequence[Char]) -> str:
    """One line's glyphs (left to right) as text, spaces collapsed.

    A gap between two Latin glyphs is a space the producer did not draw; a gap beside a
    Chinese glyph is not: LibreOffice and Word set Chinese apart from Latin text
    (`产出(50 分)` as drawn for `产出(50分)`), and justify Chinese by spacing it out."""
    pieces = [line[0]["text"]]
    for before, char in zip(line, line[1:]):
        if char["x0"] - before["x1"] > _SPACE_GAP * char["size"] and not (_wide(before["text"][-1:]) or _wide(char["text"][:1])):
            pieces.append(" ")
        pieces.append(char["text"])
    return " ".join("".join(pieces).split())


def cell_text(chars: Sequence[Char]) -> str:
    """A cell's glyphs as one text: its lines joined as `join_lines` does, paragraphs kept.

    A line set lower under the one above than any line spacing starts a paragraph (the
    writers keep the `<p>` breaks of luohu 2022 · 督查及绩效事务 that way): a newline, as
    the text reader keeps them. A line ending in ASCII `,` `;` `:` gets a space after it
    when the cell writes that mark with a space elsewhere: no PDF keeps the space where a
    line wraps, and units write either way (`离职, 一直到` in luohu 2022 · 行政运行,
    `的,2021年` in luohu 2021 · 旅游市场)."""
    lines = text_lines(chars)
    texts = [line_text(line) for line in lines]
    text = ""
    top_above = float("inf")
    spaced = False  # the line above ends in a space, drawn or written in the cell's way
    for line, line_string in zip(lines, texts, strict=True):
        top = line[0]["top"]
        if top - top_above > _PARAGRAPH * line[0]["size"]:
            text += "\n" + line_string
        else:
            text = join_lines(text, line_string, spaced=spaced)
        top_above = top
        spaced = ends_in_space(line, line_string, texts)
    return text


def ends_in_space(line: Sequence[Char], text: str, cell: Sequence[str]) -> bool:
    """Whether a wrapped line ended in a space: one drawn at its end (WeasyPrint draws it
    under `white-space: pre-wrap`), or after an ASCII `,` `;` `:` the cell's other lines
    follow with a space."""
    if line[-1]["text"].isspace():
        return True
    mark = text[-1:]
    return mark in _SPACED_MARKS and any(mark + " " in other for other in cell)


def join_lines(first: str, second: str, *, spaced: bool = False) -> str:
    """Two lines of one cell as one text.

    Chinese text wraps anywhere, also after ASCII punctuation and inside numbers typed in
    it (`的,` / `2021年` in luohu 2021 · 旅游市场), so lines of a cell holding Chinese join
    with nothing between them; only lines of Latin text wrapped at a space get one back,
    unless the line broke after a slash or hyphen (`</` / `p>`) or inside a number too
    long for its cell (a 21-digit 项目编码). A space drawn at the end of the line above is
    kept (WeasyPrint draws it; `离职, ` / `一直到2023年`), whatever the script.
    """
    if not first or not second:
        return first or second
    if spaced:  # the line above ends in a space the producer drew
        return first + " " + second
    latin = (
        not any(map(_wide, first))
        and not _wide(second[0])
        and first[-1] not in _BREAKS_AFTER
        and not (first[-1].isdigit() and second[0].isdigit())
    )
    return first + (" " if latin else "") + second


def wrap_lead(line: Sequence[Char]) -> float:
    """Width of what a line starts with that could not have ended the line above: its first
    Chinese character with any punctuation that may not begin a line, or its first Latin word."""
    first = line[0]
    chinese = _wide(first["text"][:1])
    glued = first["text"] in _QUOTES
    end = first["x1"]
    for char in line[1:]:
        text = char["text"]
        if not glued and text not in _NO_LINE_START and text not in _QUOTES and (chinese or text.isspace() or _wide(text[:1])):
            break
        glued = text in _QUOTES
        end = char["x1"]
    return end - first["x0"]


def _wide(character: str) -> bool:
    return character >= "\u1100" and unicodedata.east_asian_width(character) in "WF"
