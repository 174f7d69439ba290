"""The official form as HTML: what the PDF writer lays out, and what the web app's form page shows.

One `<section>` per form, each on its own A4 landscape page: the title, then one table
with `rowspan`/`colspan` for the merged cells. The findings follow in their own section.
Fonts are the Noto CJK faces of Debian's fonts-noto-cjk, which WeasyPrint embeds.

`form_table_html` draws the table alone, with hooks a page uses to make cells editable and
to show findings beside the rows they concern; without hooks it is the PDF's table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from jixiao.writers.findings import FINDINGS_TITLE, HEADINGS, TEXT_COLUMNS, WIDTHS, FindingsTable
from jixiao.writers.official_form import COLUMN_WIDTHS, COLUMNS, TITLE, FormTable, Role, TableCell

STYLE = """
@page { size: A4 landscape; margin: 12mm 12mm 12mm 12mm; }
body { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", serif; font-size: 9pt; line-height: 1.3; }
section + section { break-before: page; }
h1 { font-size: 16pt; text-align: center; margin: 0 0 4mm 0; letter-spacing: 1pt; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
/* pre-wrap keeps a space that ends a wrapped line in the text layer (《中共中央 国务院…》 in
   luohu 2021 · 体彩金): with normal wrapping it is dropped and the PDF reads back without it. */
td, th { border: 0.75pt solid #000; padding: 1.5pt 3pt; vertical-align: middle; text-align: center;
         overflow-wrap: anywhere; white-space: pre-wrap; }
th { font-weight: bold; }
tr { break-inside: avoid; }
td.text, td.section { text-align: left; }
td.section { font-weight: bold; }
td.caption { font-size: 14pt; font-weight: bold; padding: 3pt; }
td p { margin: 0; }
td p + p { margin-top: 0.6em; }
"""


def form_html(tables: Sequence[FormTable], findings: FindingsTable | None = None) -> str:
    """A complete HTML document: each form, then the findings when given."""
    parts = ['<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>', TITLE, "</title><style>", STYLE, "</style></head><body>"]
    for table in tables:
        parts.append(_form_section(table))
    if findings is not None:
        parts.append(_findings_section(findings))
    parts.append("</body></html>")
    return "".join(parts)


def _colgroup(widths: Sequence[float]) -> str:
    total = sum(widths)
    return "<colgroup>" + "".join(f'<col style="width:{100 * width / total:.2f}%">' for width in widths) + "</colgroup>"


# (cell, its escaped content) → (extra attributes of its <td>, the content to show instead).
CellHook = Callable[[TableCell, str], tuple[str, str]]
# (row index, the anchor cells of the row) → (extra attributes of its <tr>, cells appended to it).
RowHook = Callable[[int, Sequence[TableCell]], tuple[str, str]]


def _form_section(table: FormTable) -> str:
    return f"<section><h1>{escape(TITLE)}</h1>{form_table_html(table)}</section>"


def form_table_html(
    table: FormTable,
    cell_hook: CellHook | None = None,
    row_hook: RowHook | None = None,
    margin_widths: Sequence[float] = (),
) -> str:
    """The form's `<table>` without its title. A page passes hooks to decorate each cell and
    to append `len(margin_widths)` cells of its own to every row (drawn beside the form)."""
    covered = table.covered()
    anchors = table.anchors()
    rows = []
    for row in range(table.rows):
        cells = []
        starting = []
        for column in range(COLUMNS):
            cell = anchors[row][column]
            if cell is not None and cell.role is Role.TITLE:
                break  # the title is the section's heading, not a table row
            if (row, column) in covered:
                continue
            if cell is not None:
                starting.append(cell)
            cells.append(_td(cell, cell_hook))
        if not cells:
            continue
        attributes, extra = row_hook(row, starting) if row_hook else ("", "")
        rows.append(f"<tr{attributes}>" + "".join(cells) + extra + "</tr>")
    return f"<table>{_colgroup((*COLUMN_WIDTHS, *margin_widths))}<tbody>{''.join(rows)}</tbody></table>"


def _td(cell: TableCell | None, hook: CellHook | None = None) -> str:
    if cell is None:
        return "<td></td>"
    rows, columns = cell.span
    spans = (f' rowspan="{rows}"' if rows > 1 else "") + (f' colspan="{columns}"' if columns > 1 else "")
    role = f' class="{cell.role.value}"' if cell.role in (Role.TEXT, Role.SECTION) else ""
    content = _paragraphs(cell.text)
    if hook is None:
        return f"<td{spans}{role}>{content}</td>"
    attributes, content = hook(cell, content)
    return f"<td{spans}{role}{attributes}>{content}</td>"


def _paragraphs(text: str) -> str:
    """Paragraph breaks (from <p> in the source, domain.md §7.3) as separate paragraphs with
    a gap, so that they stay distinct from the lines a long cell wraps into."""
    if "\n" not in text:
        return escape(text)
    return "".join(f"<p>{escape(line)}</p>" for line in text.split("\n"))


def _findings_section(findings: FindingsTable) -> str:
    """The findings table, its title 审核意见 in its own first row: that row is how a reader
    tells jixiao's findings from a form (findings.py)."""
    title = f'<tr><td class="caption" colspan="{len(HEADINGS)}">{escape(FINDINGS_TITLE)}</td></tr>'
    heading = "<tr>" + "".join(f"<th>{escape(text)}</th>" for text in HEADINGS) + "</tr>"
    rows = findings.printed_rows()
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="text">{escape(value)}</td>' if column in TEXT_COLUMNS else f"<td>{escape(value)}</td>"
            for column, value in enumerate(values)
        )
        + "</tr>"
        for values in rows
    )
    return f"<section><table>{_colgroup(WIDTHS)}<thead>{title}{heading}</thead><tbody>{body}</tbody></table></section>"
