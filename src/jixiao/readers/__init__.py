"""Readers: files → grids (one reader per format) → forms (one reader per layout).

`read_file` is what the services call: it never raises on bad content. Whatever cannot be
read (the file, or one region of it) becomes a ReadError naming the file and the line, and
every form that can be read is kept.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace

from jixiao.domain.model import Form
from jixiao.readers.formats import FileFormat, sniff_format
from jixiao.readers.grid import Grid, ReadError
from jixiao.readers.layouts import forms_from_grid, split_regions
from jixiao.readers.limits import Limits, check_size
from jixiao.readers.text import read_text_grid

__all__ = ["FileFormat", "FileResult", "Limits", "ReadError", "forms_from_grid", "read_file", "read_grids"]


@dataclass(frozen=True, slots=True)
class FileResult:
    """The forms read from one file, and the places in it that could not be read."""

    path: str
    forms: tuple[Form, ...]
    errors: tuple[ReadError, ...]  # each names the file and, where known, the line


def read_grids(path: str | os.PathLike[str], limits: Limits | None = None) -> list[Grid]:
    """The grids of a file, its format told by content (formats.py); raises ReadError if it cannot be read.

    One grid for a text file, one per sheet of a workbook, per table of a document, per
    page of a PDF. `limits` defaults to `Limits.from_environment()`.
    """
    file = os.fspath(path)
    limits = limits or Limits.from_environment()
    check_size(file, limits)
    file_format = sniff_format(file, limits)
    if file_format is FileFormat.TEXT:
        return [read_text_grid(file)]
    # Office readers are imported on first use: pdfplumber alone takes ~170 ms to import,
    # which a run over text files should not pay.
    if file_format is FileFormat.DOCX:
        from jixiao.readers.docx import read_docx

        return read_docx(file, limits)
    if file_format is FileFormat.PDF:
        from jixiao.readers.pdf import read_pdf

        return read_pdf(file, limits)
    from jixiao.readers.xlsx import read_workbook

    return read_workbook(file, limits, file_format)


def read_file(path: str | os.PathLike[str], limits: Limits | None = None) -> FileResult:
    """Every form in a file. Never raises on bad content: errors are returned, not thrown."""
    file = os.fspath(path)
    try:
        grids = read_grids(file, limits)
    except ReadError as error:
        return FileResult(file, (), (error,))
    except Exception as error:  # a reader bug must not stop a batch: name the file instead
        return FileResult(file, (), (ReadError(file, f"读取时出错（{type(error).__name__}: {error}）"),))
    forms: list[Form] = []
    errors: list[ReadError] = []
    for grid in grids:
        try:
            found, failed = forms_from_grid(grid)
        except Exception as error:  # a reader bug must not stop a batch: name the file instead
            found, failed = [], [ReadError(file, f"读取时出错（{type(error).__name__}: {error}）")]
        if len(grids) > 1 and not found and _holds_no_form(grid):
            continue
        forms.extend(_placed(found, len(forms), grid))
        errors.extend(_named(failed, grid))
    if not forms and not errors and grids:
        errors.append(ReadError(file, "未找到项目支出绩效自评表或部门汇总表"))
    return FileResult(file, tuple(forms), tuple(errors))


def _holds_no_form(grid: Grid) -> bool:
    """A part of a workbook or document that is plainly not a form: blank, prose only, or a
    table under a one-cell title of its own (a 填表说明 sheet, jixiao's 审核意见 list).

    Such parts beside the forms are no error. A part whose first row is a table row is still
    reported, since it may be a form's continuation that lost its header.
    """
    regions, (preamble,) = split_regions(grid)
    if regions:
        return False
    table_rows = [row for row in preamble if row.count() > 1]
    return not table_rows or preamble[0].count() == 1


def _placed(forms: list[Form], offset: int, grid: Grid) -> list[Form]:
    """Forms of one grid numbered within the whole file, with the grid's notes added."""
    if not offset and not grid.notes:
        return forms
    return [
        replace(
            form,
            source=replace(form.source, index=form.source.index + offset),
            notes=form.notes + grid.notes,
        )
        for form in forms
    ]


def _named(errors: list[ReadError], grid: Grid) -> list[ReadError]:
    """Errors of one sheet, table or page, saying which: `file:line` alone is ambiguous there."""
    if not grid.part:
        return errors
    return [ReadError(error.file, f"{grid.part}：{error.message}", error.line) for error in errors]
