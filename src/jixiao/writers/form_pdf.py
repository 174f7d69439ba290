"""The official form as PDF: the HTML of `form_html` laid out by WeasyPrint.

WeasyPrint embeds the Noto CJK fonts (fonts-noto-cjk) as CID subsets; reportlab, the faster
alternative, cannot use those OpenType fonts (stack-notes.md §3).
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from weasyprint import HTML

from jixiao.writers.findings import FindingsTable
from jixiao.writers.form_html import form_html
from jixiao.writers.official_form import FormTable


def write_pdf(path: str | os.PathLike[str], tables: Sequence[FormTable], findings: FindingsTable | None = None) -> None:
    """Write each form on its own A4 landscape page (more when it is long), then the findings."""
    HTML(string=form_html(tables, findings)).write_pdf(os.fspath(path))
