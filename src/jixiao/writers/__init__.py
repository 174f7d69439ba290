"""Writers: forms and findings out to the official 项目支出绩效自评表 in office formats.

`official_form` describes the printed form once (`form_table` for a read form,
`blank_table` for a form to fill); `form_xlsx`, `form_docx` and `form_pdf` draw it, with
the findings (`findings_table`) on a last sheet or page. `write_forms` picks the drawer.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from importlib import import_module

from jixiao.writers.findings import FindingsTable, findings_table
from jixiao.writers.official_form import LAYOUTS, TITLE, FormTable, blank_table, form_table

FORMATS = ("xlsx", "docx", "pdf")
# The drawing modules are imported when first used: WeasyPrint and openpyxl take half a
# second to import, which `jixiao check` should not pay.
_DRAWERS = {"xlsx": "form_xlsx", "docx": "form_docx", "pdf": "form_pdf"}

__all__ = ["FORMATS", "LAYOUTS", "TITLE", "FindingsTable", "FormTable", "blank_table", "findings_table", "form_table", "write_forms"]

Drawer = Callable[[str | os.PathLike[str], Sequence[FormTable], FindingsTable | None], None]


def write_forms(
    path: str | os.PathLike[str], to: str, tables: Sequence[FormTable], findings: FindingsTable | None = None
) -> None:
    """Write the forms (and the findings, when given) to `path` as `to`: xlsx, docx or pdf."""
    if to not in _DRAWERS:
        raise ValueError(f"unknown format {to!r}: one of {', '.join(FORMATS)}")
    module = import_module(f"jixiao.writers.{_DRAWERS[to]}")
    draw: Drawer = getattr(module, f"write_{to}")
    draw(path, tables, findings)
