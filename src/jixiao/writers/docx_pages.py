"""What jixiao's Word documents share: landscape pages and a 宋体 body (python-docx)."""

from __future__ import annotations

from typing import Any

from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Length, Pt

BODY_FONT = "宋体"


def set_east_asian_font(element: Any, font: str) -> None:
    """Chinese text takes the East Asian font, which `font.name` does not set."""
    element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)


def landscape_pages(document: DocumentObject, width: Length, height: Length, margin: Length, points: float) -> None:
    """Landscape pages of width × height with equal margins; the Normal style in BODY_FONT
    at `points`, single-spaced, with no space around paragraphs (table cells stay compact)."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = width, height
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = margin
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(points)
    set_east_asian_font(normal.element, BODY_FONT)
    normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
