"""PDFs made for the PDF reader's tests: sample forms drawn as tables, and hostile files.

The forms come from the text samples: each form's lines become the rows of one HTML table
that WeasyPrint draws with Noto Sans CJK (fonts-noto-cjk). Blank cells right of a text and
blank label cells below one are merged (colspan/rowspan) the way the paper form merges
them, so reading the PDF back must turn spans into the same blank cells the text shows.
Hostile files (encrypted, page bombs, stream bombs) are written byte by byte: no PDF
library here writes them, and they must stay small.
"""

from __future__ import annotations

import hashlib
import html
import struct
import subprocess
import zlib
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from weasyprint import HTML

from jixiao.domain.model import parse_number
from jixiao.readers import read_file

FONT = "Noto Sans CJK SC"
_LABEL_COLUMNS = 3  # 年度绩效指标 / 一级 / 二级 are merged downwards on the paper form
# A3 upright is as wide as A4 across, and tall enough that most sample forms stay on one
# page: the sample tests test reading forms; the page-break tests cut forms on purpose.
# pre-wrap makes WeasyPrint draw the space a line wraps at, as the writers do.
BASE_CSS = f"""
@page {{ size: A3; margin: 12mm; }}
body {{ font-family: '{FONT}'; font-size: 8pt; }}
h3 {{ text-align: center; font-size: 12pt; margin: 0 0 4pt 0; }}
table {{ border-collapse: collapse; width: 100%; }}
td {{ padding: 2pt 3pt; vertical-align: top; white-space: pre-wrap; }}
"""
RULED_CSS = "td { border: 0.5pt solid black; }"
# No rules: the reader must align the columns on the text, and tell a wrapped line from a new
# row; cells are padded apart and kept wide enough that a column's text does not touch the next.
UNRULED_CSS = "td { padding: 2pt 6pt; }"


@dataclass(frozen=True)
class SampleForm:
    """One form of a text sample: its title line and the cells of its table rows."""

    title: str
    rows: list[list[str]]


def sample_forms(path: Path) -> list[SampleForm]:
    """The forms of a text sample, each as the lines the text reader read it from."""
    lines = path.read_text(encoding="utf-8").split("\n")
    forms = []
    for form in read_file(path).forms:
        first, last = form.source.rows
        cells = [line.rstrip("\r").split("\t") for line in lines[first - 1 : last]]
        cells = [row for row in cells if any(cell.strip() for cell in row)]
        title = "项目支出绩效自评表"
        if len([cell for cell in cells[0] if cell.strip()]) == 1:
            title = cells.pop(0)[0].strip()
        forms.append(SampleForm(title, cells))
    return forms


def table_html(rows: list[list[str]], *, merge: bool = True, fake_bold: bool = False, head: int = 0) -> str:
    """One <table>: rows padded to one width; with `merge`, blank neighbours become spans.

    The first `head` rows form a <thead>, which WeasyPrint repeats on every page."""
    width = max(len(row) for row in rows)
    grid = [[cell.strip() for cell in row] + [""] * (width - len(row)) for row in rows]
    covered = [[False] * width for _ in grid]
    out = ["<table>"]
    for r, row in enumerate(grid):
        if head and r in (0, head):
            out.append("<thead>" if r == 0 else "</thead>")
        out.append("<tr>")
        for c, text in enumerate(row):
            if covered[r][c]:
                continue
            down, across = (_spans(grid, covered, r, c) if merge and text else (1, 1))
            for rr in range(r, r + down):
                for cc in range(c, c + across):
                    covered[rr][cc] = True
            attributes = (f' rowspan="{down}"' if down > 1 else "") + (f' colspan="{across}"' if across > 1 else "")
            out.append(f"<td{attributes}>{_cell_html(text, fake_bold)}</td>")
        out.append("</tr>")
    out.append("</table>")
    return "".join(out)


def _spans(grid: list[list[str]], covered: list[list[bool]], r: int, c: int) -> tuple[int, int]:
    down = 1
    if c < _LABEL_COLUMNS:
        # A label runs down over blank cells until a row starts further left (a new block).
        while (
            r + down < len(grid)
            and not grid[r + down][c]
            and not covered[r + down][c]
            and not any(grid[r + down][:c])
            and any(grid[r + down][c + 1 :])
        ):
            down += 1
    across = 1
    if parse_number(grid[r][c]) is None:  # numbers keep their own cell; texts run right
        while c + across < len(grid[r]) and all(
            not grid[rr][c + across] and not covered[rr][c + across] for rr in range(r, r + down)
        ):
            across += 1
    return down, across


def _cell_html(text: str, fake_bold: bool) -> str:
    escaped = html.escape(text)
    if not fake_bold or not text:
        return escaped
    # Fake bold as some office suites print it: every glyph drawn a second time, shifted a
    # hair; the copy is as wide as the original, so it wraps the same way.
    return f'<div class="fb">{escaped}<div class="again">{escaped}</div></div>'


def document_html(tables: list[tuple[str, str]], *, ruled: bool = True, page_breaks: bool = True, css: str = "") -> str:
    """A document of (title, table html) pairs, one per page unless `page_breaks` is off."""
    style = BASE_CSS + (RULED_CSS if ruled else UNRULED_CSS) + css
    style += ".fb { position: relative; } .again { position: absolute; left: 0.4pt; top: 0; width: 100%; }"
    # A row cut by a page break would cut the copy elsewhere than the original: keep rows whole.
    style += "tr:has(.fb) { break-inside: avoid; }"
    body = []
    for index, (title, table) in enumerate(tables):
        breaker = ' style="page-break-before: always"' if page_breaks and index else ""
        body.append(f"<section{breaker}><h3>{html.escape(title)}</h3>{table}</section>")
    return f"<html><head><meta charset='utf-8'><style>{style}</style></head><body>{''.join(body)}</body></html>"


def write_pdf(document: str, path: Path, *, uncompressed: bool = False) -> Path:
    HTML(string=document).write_pdf(path, uncompressed_pdf=uncompressed)
    return path


def forms_pdf(forms: list[SampleForm], path: Path, *, ruled: bool = True, merge: bool = True, fake_bold: bool = False, page_breaks: bool = True, css: str = "") -> Path:
    """The forms as one PDF, each its own table under its title."""
    tables = [(form.title, table_html(form.rows, merge=merge, fake_bold=fake_bold)) for form in forms]
    return write_pdf(document_html(tables, ruled=ruled, page_breaks=page_breaks, css=css), path)


def office_pdf(forms: list[SampleForm], path: Path, soffice: str) -> Path:
    """The forms as a Word document (merged cells, one form a page) printed to PDF by LibreOffice.

    Office suites draw tables their own way: both sides of a row cut by a page break get a
    rule, and Chinese is set a little apart from digits and Latin letters."""
    document = Document()
    section = document.sections[0]
    section.orientation, section.page_width, section.page_height = WD_ORIENT.LANDSCAPE, Mm(297), Mm(210)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(8)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    for index, form in enumerate(forms):
        if index:
            document.add_page_break()
        document.add_paragraph(form.title)
        width = max(len(row) for row in form.rows)
        grid = [[cell.strip() for cell in row] + [""] * (width - len(row)) for row in form.rows]
        covered = [[False] * width for _ in grid]
        table = document.add_table(rows=len(grid), cols=width)
        table.style = "Table Grid"
        for r, row in enumerate(grid):
            for c, text in enumerate(row):
                if covered[r][c]:
                    continue
                down, across = _spans(grid, covered, r, c) if text else (1, 1)
                for rr in range(r, r + down):
                    covered[rr][c : c + across] = [True] * across
                cell = table.cell(r, c)
                if (down, across) != (1, 1):
                    cell = cell.merge(table.cell(r + down - 1, c + across - 1))
                cell.text = text
    source = path.with_suffix(".docx")
    document.save(source)
    subprocess.run(
        [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(path.parent), str(source)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    converted = source.with_suffix(".pdf")
    if converted != path:
        converted.replace(path)
    return path


def without_unicode_maps(path: Path, out: Path) -> Path:
    """The PDF with its fonts' ToUnicode maps disabled, so glyphs read as (cid:N).

    The key is renamed to one of the same length, so every xref offset stays right."""
    data = path.read_bytes()
    assert b"/ToUnicode" in data, "write the source PDF uncompressed"
    out.write_bytes(data.replace(b"/ToUnicode", b"/ToUnicodX"))
    return out


def png_bytes(width: int = 240, height: int = 120) -> bytes:
    """A grey PNG with a dark band: a 'scan' that holds no text."""
    rows = b"".join(b"\x00" + bytes([40 if height // 3 < y < height // 2 else 200]) * width for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def scanned_pdf(path: Path) -> Path:
    """A PDF page that is only an image, as a scanner makes it."""
    image = path.with_suffix(".png")
    image.write_bytes(png_bytes())
    document = f"<html><body style='margin:0'><img src='{image.name}' style='width:180mm'></body></html>"
    HTML(string=document, base_url=str(path.parent)).write_pdf(path)
    return path


def form_and_scan_pdf(form: SampleForm, path: Path) -> Path:
    """A form, then a page that is only an image (a scanned seal page, as units append)."""
    (path.parent / "seal.png").write_bytes(png_bytes())
    scan = "<div style='page-break-before: always'><img src='seal.png' style='width: 120mm'></div>"
    document = document_html([(form.title, table_html(form.rows))]).replace("</body>", scan + "</body>")
    HTML(string=document, base_url=str(path.parent)).write_pdf(path)
    return path


def raw_pdf(objects: list[bytes], path: Path, trailer: bytes = b"") -> Path:
    """A PDF from numbered object bodies (object 1 is the catalog), with a correct xref."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    path.write_bytes(bytes(out))
    return path


def many_pages_pdf(path: Path, pages: int) -> Path:
    """`pages` blank pages sharing one empty content stream: tiny file, huge page count."""
    first_page = 4
    kids = b" ".join(b"%d 0 R" % (first_page + index) for index in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count %d /Kids [%s] >>" % (pages, kids),
        b"<< /Length 0 >>\nstream\n\nendstream",
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>"] * pages
    return raw_pdf(objects, path)


def stream_bomb_pdf(path: Path, megabytes: int) -> Path:
    """One page whose content stream inflates to `megabytes` MB of spaces (a PDF zip bomb)."""
    compressor = zlib.compressobj(9)
    block = b" " * (1 << 20)
    data = b"".join(compressor.compress(block) for _ in range(megabytes)) + compressor.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
    ]
    return raw_pdf(objects, path)


_PASSWORD_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    state = list(range(256))
    j = 0
    for i in range(256):
        j = (j + state[i] + key[i % len(key)]) % 256
        state[i], state[j] = state[j], state[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + state[i]) % 256
        state[i], state[j] = state[j], state[i]
        out.append(byte ^ state[(state[i] + state[j]) % 256])
    return bytes(out)


def encrypted_pdf(path: Path, password: str) -> Path:
    """A one-page PDF locked with a user password (standard security handler, RC4 40-bit, R2)."""
    padded_owner = (password.encode("latin-1") + _PASSWORD_PAD)[:32]
    owner_entry = _rc4(hashlib.md5(padded_owner).digest()[:5], padded_owner)
    file_id = hashlib.md5(b"jixiao test").digest()
    permissions = -4
    key = hashlib.md5(padded_owner + owner_entry + struct.pack("<i", permissions) + file_id).digest()[:5]
    user_entry = _rc4(key, _PASSWORD_PAD)
    content = b"BT /F1 12 Tf 72 720 Td (locked) Tj ET"
    object_key = hashlib.md5(key + struct.pack("<I", 4)[:3] + b"\x00\x00").digest()[:10]
    encrypted = _rc4(object_key, content)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(encrypted) + encrypted + b"\nendstream",
        b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>"
        % (owner_entry.hex().encode(), user_entry.hex().encode(), permissions),
    ]
    return raw_pdf(objects, path, trailer=b"/Encrypt 5 0 R /ID [<%s> <%s>]" % (file_id.hex().encode(), file_id.hex().encode()))
