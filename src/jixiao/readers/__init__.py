"""Readers: files → grids (one reader per format) → forms (one reader per layout).

`read_file` is what the services call: it never raises on bad content. Whatever cannot be
read (the file, or one region of it) becomes a ReadError naming the file and the line, and
every form that can be read is kept.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import PurePath

from jixiao.domain.model import Form
from jixiao.readers.grid import Grid, ReadError
from jixiao.readers.layouts import forms_from_grid
from jixiao.readers.text import read_text_grid

# Formats whose grid readers are not written yet: say so instead of "not text".
_OFFICE_SUFFIXES = frozenset({".xlsx", ".xls", ".xlsm", ".docx", ".doc", ".pdf", ".wps", ".et"})

__all__ = ["FileResult", "ReadError", "forms_from_grid", "read_file", "read_grids"]


@dataclass(frozen=True, slots=True)
class FileResult:
    """The forms read from one file, and the places in it that could not be read."""

    path: str
    forms: tuple[Form, ...]
    errors: tuple[ReadError, ...]  # each names the file and, where known, the line


def read_grids(path: str | os.PathLike[str]) -> list[Grid]:
    """The grids of a file (one for a text file); raises ReadError if it cannot be read."""
    file = os.fspath(path)
    suffix = PurePath(file).suffix.lower()
    if suffix in _OFFICE_SUFFIXES:
        raise ReadError(file, f"暂不支持 {suffix} 文件，请先导出为制表符分隔的文本")
    return [read_text_grid(file)]


def read_file(path: str | os.PathLike[str]) -> FileResult:
    """Every form in a file. Never raises on bad content: errors are returned, not thrown."""
    file = os.fspath(path)
    try:
        grids = read_grids(file)
    except ReadError as error:
        return FileResult(file, (), (error,))
    forms: list[Form] = []
    errors: list[ReadError] = []
    for grid in grids:
        try:
            found, failed = forms_from_grid(grid)
        except Exception as error:  # a reader bug must not stop a batch: name the file instead
            found, failed = [], [ReadError(file, f"读取时出错（{type(error).__name__}: {error}）")]
        forms.extend(found)
        errors.extend(failed)
    return FileResult(file, tuple(forms), tuple(errors))
