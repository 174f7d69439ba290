"""An .xlsx package checked and repacked before calamine reads it (工作簿安全检查与数字格式).

calamine trusts the package, and some of its trust ends in an abort (a Rust allocation
failure is not an exception), measured on crafted and fuzzed files: it builds each sheet as a
dense rectangle from its first to its last cell (A1 and XFD1048576 ask for 17 billion cells),
and it reserves room for the shared strings' declared `uniqueCount`. `unpack_workbook`
therefore inflates the XML parts once (never past their declared size), refuses DTDs,
oversized sheets and forged counts, and hands calamine an uncompressed copy of exactly the
bytes it checked. The same pass collects the number format of each number cell (calamine
returns bare numbers and no styles), so `1.00` and `100%` read as the sheet shows them.

A normal form sheet is checked in one regex pass. References past column Z or row 9,999,
cells or rows without an `r` reference, other quoting and prefixed (`x:c`) markup are rare,
and only they send the sheet to the exact, slower walk that places every cell the way
calamine does.
"""

from __future__ import annotations

import html
import posixpath
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from functools import lru_cache

from jixiao.readers.grid import ReadError
from jixiao.readers.limits import Limits, open_zip
from jixiao.readers.number_format import BUILTIN_FORMATS, is_general

CellFormats = dict[tuple[int, int], str]  # (row, column), 0-based as calamine counts → format code

_ATTRIBUTE = re.compile(r'([\w:.-]+)\s*=\s*"([^"]*)"')
_SHEET = re.compile(r"<(?:\w+:)?sheet\b([^>]*)>")
_RELATIONSHIP = re.compile(r"<(?:\w+:)?Relationship\b([^>]*)>")
_WORKBOOK_PR = re.compile(r"<(?:\w+:)?workbookPr\b([^>]*)>")
_NUM_FMT = re.compile(r"<(?:\w+:)?numFmt\b([^>]*)>")
_CELL_XFS = re.compile(r"<(?:\w+:)?cellXfs\b.*?</(?:\w+:)?cellXfs>", re.DOTALL)
_XF = re.compile(r"<(?:\w+:)?xf\b([^>]*)>")

# The quick pass: a cell or row element that needs the exact walk (see the module doc): its
# reference missing (placed by counting), past Z9999, or written otherwise. The quick patterns
# put one `<` before all their alternatives, so the regex tries each tag once and drops all but
# `c` and `row` at the next byte (with a `<` in every alternative it took 40 % longer).
_UNUSUAL = rb'c(?! r="[A-Z][0-9]{1,4}")[\s/>]|row(?! r="[0-9]{1,4}")[\s/>]'
# calamine reads prefixed cells (`<x:c>`) too; a sheet with any goes to the exact walk. A
# separate search (colons are rare) costs a tenth of another alternative in the quick pattern.
_PREFIXED = re.compile(rb":(?:c|row)[\s/>]")
_UNUSUAL_CELLS = re.compile(rb"<(?:" + _UNUSUAL + rb")")
_UNUSUAL_FOUND = (b"", b"", b"")  # what findall gives for a match of _UNUSUAL (no groups take part)
# The exact walk: every row and cell element, prefixed or not, and their attributes as
# calamine reads them (unprefixed names, either quote).
_ELEMENT = re.compile(rb"<(?:\w+:)?(row|c)\b([^>]*)>")
_R = re.compile(rb"""(?:^|\s)r\s*=\s*(["'])(.*?)\1""", re.DOTALL)
_S = re.compile(rb"""(?:^|\s)s\s*=\s*(["'])(.*?)\1""", re.DOTALL)
_REFERENCE = re.compile(rb"([A-Za-z]{1,3})([0-9]{1,7})")
_ROW_NUMBER = re.compile(rb"[0-9]{1,7}")
_SHARED_STRINGS = re.compile(rb"<(?:\w+:)?sst\b([^>]*)>")
_UNIQUE_COUNT = re.compile(rb'\buniqueCount\s*=\s*"([0-9]{1,20})"')
_SHARED_STRINGS_HEAD = 1 << 16  # the root tag follows the XML declaration, never 64 KB of prolog
# Office never writes a DTD; one in a part's prolog is refused with a plain message. (One
# hidden further in still reaches calamine, which stops at the first custom entity.)
_PROLOG = 4096
_XML_PARTS = (".xml", ".rels")  # all calamine reads; images and printer settings stay behind
_WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
_LOCAL_HEADER = struct.Struct("<IHHHHHIIIHH")
_LOCAL_LENGTHS = struct.Struct("<26xHH")  # a local header's name and extra-field lengths
_CENTRAL_HEADER = struct.Struct("<IHHHHHHIIIHHHHHII")
_END_OF_DIRECTORY = struct.Struct("<IHHHHIIH")
_UTF8_NAMES = 0x0800  # general-purpose flag: names are UTF-8
_FAR = 1 << 32  # beyond any reference: the starting top and left of an empty extent


@dataclass(frozen=True, slots=True)
class Package:
    """An .xlsx made safe for calamine: its XML parts as an uncompressed zip, checked; per
    sheet name, the number formats of the cells that are not General; the date system."""

    workbook: bytes
    formats: dict[str, CellFormats] = field(default_factory=dict)
    date1904: bool = False


class BadReference(ValueError):
    """A cell or row reference calamine would misplace."""


@dataclass(slots=True)
class _Extent:
    top: int = _FAR
    bottom: int = -1
    left: int = _FAR
    right: int = -1

    def add(self, row: int, column: int) -> None:
        self.top, self.bottom = min(self.top, row), max(self.bottom, row)
        self.left, self.right = min(self.left, column), max(self.right, column)

    @property
    def cells(self) -> int:
        return 0 if self.bottom < 0 else (self.bottom - self.top + 1) * (self.right - self.left + 1)


def unpack_workbook(file: str, limits: Limits) -> Package:
    """Inflate the workbook's XML parts once, check them, and repack them for calamine.

    calamine then reads exactly the bytes that were checked (no second inflate, no chance for
    the file to change in between), and the images and other binary parts are left out.
    Raises ReadError for a bomb (via `open_zip`), an oversized sheet or shared-string table,
    or a package whose workbook part is missing.
    """
    with open_zip(file, limits) as archive:
        infos = [info for info in archive.infolist() if info.filename.lower().endswith(_XML_PARTS)]
        parts = {info.filename: (_read(archive, info, file), info.CRC) for info in infos}
    for name, (data, _) in parts.items():
        if data.find(b"<!DOCTYPE", 0, _PROLOG) != -1 or data.find(b"<!ENTITY", 0, _PROLOG) != -1:
            raise ReadError(file, f"{name} 含 DTD 实体声明（XML 实体炸弹的写法），疑似恶意文件，已拒绝读取")
    if "xl/workbook.xml" not in parts:
        raise ReadError(file, "工作簿缺少 xl/workbook.xml，文件不完整")
    workbook = parts["xl/workbook.xml"][0].decode("utf-8", "replace")
    relationships = _relationships(parts.get(_WORKBOOK_RELS, (b"", 0))[0].decode("utf-8", "replace"))
    # calamine opens xl/sharedStrings.xml by name, whatever the relationships say.
    for name, (data, _) in parts.items():
        if name.lower().endswith("sharedstrings.xml"):
            _check_shared_strings(data, file, limits)
    styled = _styled_formats(parts.get("xl/styles.xml", (b"", 0))[0].decode("utf-8", "replace"))
    formats: dict[str, CellFormats] = {}
    for name, member in _sheet_members(workbook, relationships, parts.keys()).items():
        try:
            extent, formats[name] = _scan_sheet(parts[member][0], styled)
        except BadReference as error:
            shown = error.args[0][:20].decode("utf-8", "replace")
            raise ReadError(file, f"工作表“{name}”的单元格引用“{shown}”格式异常，无法读取") from None
        if extent is not None and extent.cells > limits.max_cells:
            raise ReadError(
                file,
                f"工作表“{name}”范围过大（{extent.bottom - extent.top + 1} 行 × "
                f"{extent.right - extent.left + 1} 列），疑似恶意文件，已拒绝读取",
            )
    properties = _attributes(_WORKBOOK_PR.search(workbook))
    return Package(_stored_zip(parts), formats, properties.get("date1904", "").lower() in {"1", "true"})


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, file: str) -> bytes:
    """A member's bytes, inflated straight from the file, never past its declared size, and
    checked against its CRC (calamine does not check it).

    `ZipFile.read` would inflate up to 2 GB in one step before noticing that a member is
    larger than its header says (a forged-size bomb), and its chunked reading cost a third
    more than one bounded inflate.
    """
    try:
        handle = archive.fp
        handle.seek(info.header_offset)
        header = handle.read(_LOCAL_HEADER.size)
        if len(header) < _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
            raise ValueError("local header missing")
        name_length, extra_length = _LOCAL_LENGTHS.unpack_from(header)
        handle.seek(info.header_offset + _LOCAL_HEADER.size + name_length + extra_length)
        raw = handle.read(info.compress_size)
        if info.compress_type == zipfile.ZIP_STORED:
            data = raw[: info.file_size]
        elif info.compress_type == zipfile.ZIP_DEFLATED:
            data = zlib.decompressobj(-15).decompress(raw, info.file_size)
        else:
            raise ValueError(f"compression method {info.compress_type}")
    except (OSError, ValueError, zlib.error) as error:
        raise ReadError(file, f"文件已损坏或不完整，无法解压 {info.filename}（{error}）") from None
    if len(data) < info.file_size or zlib.crc32(data) != info.CRC:
        raise ReadError(file, f"文件已损坏或不完整，{info.filename} 校验失败")
    return data


def _stored_zip(parts: dict[str, tuple[bytes, int]]) -> bytes:
    """A zip of the parts without compression, each under its (verified) checksum."""
    chunks: list[bytes] = []
    directory: list[bytes] = []
    offset = 0
    for name, (data, crc) in parts.items():
        encoded = name.encode("utf-8")
        header = _LOCAL_HEADER.pack(0x04034B50, 20, _UTF8_NAMES, 0, 0, 0, crc, len(data), len(data), len(encoded), 0)
        directory.append(
            _CENTRAL_HEADER.pack(
                0x02014B50, 20, 20, _UTF8_NAMES, 0, 0, 0, crc, len(data), len(data), len(encoded), 0, 0, 0, 0, 0, offset
            )
            + encoded
        )
        chunks += (header, encoded, data)
        offset += len(header) + len(encoded) + len(data)
    central = b"".join(directory)
    end = _END_OF_DIRECTORY.pack(0x06054B50, 0, 0, len(directory), len(directory), len(central), offset, 0)
    return b"".join((*chunks, central, end))


def _attributes(match: re.Match[str] | None) -> dict[str, str]:
    """A tag's attributes, unescaped, by local name (`r:id` → `id`)."""
    if match is None:
        return {}
    return {name.rpartition(":")[2]: html.unescape(value) for name, value in _ATTRIBUTE.findall(match[1])}


def _relationships(rels: str) -> dict[str, tuple[str, str]]:
    """The workbook's relationships: id → (type, zip member of the target)."""
    relationships = {}
    for match in _RELATIONSHIP.finditer(rels):
        attributes = _attributes(match)
        target = attributes.get("Target", "")
        member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        relationships[attributes.get("Id", "")] = (attributes.get("Type", ""), member)
    return relationships


def _sheet_members(workbook: str, relationships: dict[str, tuple[str, str]], names) -> dict[str, str]:
    """Sheet name → zip member of its XML."""
    sheets = {}
    for match in _SHEET.finditer(workbook):
        attributes = _attributes(match)
        _, member = relationships.get(attributes.get("id", ""), ("", ""))
        if member in names:
            sheets[attributes.get("name", "")] = member
    return sheets


def _check_shared_strings(data: bytes, file: str, limits: Limits) -> None:
    """Refuse a shared-string table that declares more strings than a readable workbook holds.

    calamine reserves memory for `uniqueCount` strings up front: a forged count of two
    billion aborts the process (measured), so the count is checked before calamine opens it.
    """
    table = _SHARED_STRINGS.search(data, 0, _SHARED_STRINGS_HEAD)
    if table is None:
        if data.strip():
            raise ReadError(file, "共享字符串表格式异常，疑似恶意文件，已拒绝读取")
        return
    declared = _UNIQUE_COUNT.search(table[1])
    if declared and int(declared[1]) > limits.max_cells:
        raise ReadError(file, f"共享字符串表声明的字符串数目异常（{int(declared[1]):,}），疑似恶意文件，已拒绝读取")


def _styled_formats(styles: str) -> dict[bytes, str]:
    """Cell style index (as it appears in `s="…"`) → format code, for the codes that are not General."""
    custom = {}
    for match in _NUM_FMT.finditer(styles):
        attributes = _attributes(match)
        if attributes.get("numFmtId", "").isdigit():
            custom[int(attributes["numFmtId"])] = attributes.get("formatCode", "")
    block = _CELL_XFS.search(styles)
    styled = {}
    for index, match in enumerate(_XF.finditer(block[0] if block else "")):
        number = _attributes(match).get("numFmtId", "0")
        code = custom.get(int(number)) if number.isdigit() else None
        code = code if code is not None else BUILTIN_FORMATS.get(int(number) if number.isdigit() else 0, "General")
        if not is_general(code):
            styled[str(index).encode()] = code
    return styled


@lru_cache(maxsize=64)
def _quick_pattern(styles: tuple[bytes, ...]) -> re.Pattern[bytes]:
    """The quick pass for one workbook's styled indices; group 1/2/3 = column, row, style of a styled cell."""
    alternatives = b"|".join(re.escape(style) for style in styles)
    # Only number cells: a text cell carries t="s"/"inlineStr"/"str" after its style.
    styled_cell = rb'c r="([A-Z])([0-9]{1,4})"(?: t="n")? s="(' + alternatives + rb')"(?: t="n")?>'
    return re.compile(rb"<(?:" + styled_cell + rb"|" + _UNUSUAL + rb")")


def _scan_sheet(data: bytes, styled: dict[bytes, str]) -> tuple[_Extent | None, CellFormats]:
    """The sheet's extent (None when the quick pass proves it lies within A1:Z9999) and cell formats."""
    if not _PREFIXED.search(data):
        quick = _quick_scan(data, styled)
        if quick is not None:
            return quick
    return _exact_scan(data, styled)


def _quick_scan(data: bytes, styled: dict[bytes, str]) -> tuple[None, CellFormats] | None:
    """A sheet whose cells all lie within A1:Z9999, or None when the exact walk is needed."""
    if not styled:
        return None if _UNUSUAL_CELLS.search(data) else (None, {})
    found = _quick_pattern(tuple(styled)).findall(data)
    if _UNUSUAL_FOUND in found:
        return None
    # Columns here are one letter: A is byte 65.
    return None, {(int(row) - 1, column[0] - 65): styled[style] for column, row, style in found}


def _exact_scan(data: bytes, styled: dict[bytes, str]) -> tuple[_Extent, CellFormats]:
    """Place every cell the way calamine does: by its reference, else next to the previous one.

    A reference calamine would misread (empty, digits only, four letters: its arithmetic wraps
    to a column in the billions) raises BadReference instead of being guessed at.
    """
    extent = _Extent()
    formats: CellFormats = {}
    row, column = -1, -1
    for match in _ELEMENT.finditer(data):
        attributes = match[2]
        reference = _R.search(attributes)
        if match[1] == b"row":
            if reference is None:
                row += 1
            elif _ROW_NUMBER.fullmatch(reference[2]):
                row = int(reference[2]) - 1
            else:
                raise BadReference(reference[2])
            column = -1
            continue
        if reference is None:
            column += 1
        else:
            parts = _REFERENCE.fullmatch(reference[2])
            if parts is None:
                raise BadReference(reference[2])
            row, column = int(parts[2]) - 1, _column_index(parts[1].upper())
        if attributes.endswith(b"/"):
            continue  # an empty cell (styling only) holds no value and takes no room
        extent.add(row, column)
        style = _S.search(attributes)
        if style and style[2] in styled:
            formats[row, column] = styled[style[2]]
    return extent, formats


def _column_index(letters: bytes) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + letter - 64
    return index - 1
