"""Hostile workbooks end in a clear error naming the file, in bounded time and memory.

Each case runs `read_file` in a child process (bounded.py) whose address space is capped, so
an allocation that would abort calamine, or a bomb inflated into memory, fails the test
instead of the machine. Several cases were measured to crash or abort an unguarded reader:
a far cell (A1 and XFD1048576), a forged shared-string count and a looping sector chain in an
.xls all aborted calamine; a member larger than its header says made ZipFile.read inflate a
gigabyte.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import openpyxl
import xlwt
from bounded import read_bounded

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_HEAD = '<?xml version="1.0" encoding="UTF-8"?>'
SHEET_OPEN = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
SHEET_CLOSE = "</sheetData></worksheet>"
SHEET = "xl/worksheets/sheet1.xml"
BILLION_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol0 "lololololol">'
    + "".join(f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">' for level in range(1, 10))
    + "]>"
)


def inline(reference: str, text: str) -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def workbook_parts(sheet_data: str, prolog: str = "", tail: str = "") -> dict[str, str]:
    return {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": PACKAGE_RELS,
        "xl/workbook.xml": WORKBOOK,
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
        SHEET: SHEET_HEAD + prolog + SHEET_OPEN + sheet_data + "</sheetData>" + tail + "</worksheet>",
    }


def write_zip(path, parts: dict[str, str | bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def refused(path, message: str, **bounds) -> None:
    """The file gives exactly one error, naming it, with this message."""
    result = read_bounded(path, **bounds)
    assert result.forms == 0
    assert result.errors == [f"{path}: {message}"]


def test_a_cell_at_the_far_corner_of_the_sheet_is_refused_before_calamine_allocates_the_range(tmp_path):
    path = tmp_path / "远端.xlsx"
    rows = f'<row r="1">{inline("A1", "项目名称")}</row><row r="1048576">{inline("XFD1048576", "x")}</row>'
    write_zip(path, workbook_parts(rows))
    refused(path, "工作表“Sheet1”范围过大（1048576 行 × 16384 列），疑似恶意文件，已拒绝读取")


def test_cells_placed_by_counting_are_measured_too(tmp_path):
    # Cells without an `r` reference are placed one after the other, as calamine does.
    path = tmp_path / "无引用.xlsx"
    rows = f'<row r="1">{inline("A1", "x")}</row><row r="1048576"><c><v>1</v></c><c><v>2</v></c></row>'
    write_zip(path, workbook_parts(rows))
    refused(path, "工作表“Sheet1”范围过大（1048576 行 × 2 列），疑似恶意文件，已拒绝读取")


def test_a_reference_calamine_would_misread_is_refused(tmp_path):
    # Rows past Excel's 1,048,576 (found by fuzzing) and references without a column make
    # calamine's arithmetic reach billions of cells.
    for reference in ("I19999999", "123", ""):
        path = tmp_path / f"引用{reference or '空'}.xlsx"
        write_zip(path, workbook_parts(f'<row r="1">{inline("A1", "x")}<c r="{reference}"><v>1</v></c></row>'))
        refused(path, f"工作表“Sheet1”的单元格引用“{reference}”格式异常，无法读取")


def test_prefixed_cells_are_measured_like_plain_ones(tmp_path):
    # calamine reads <x:c> as a cell, so the quick pass must not overlook it.
    path = tmp_path / "前缀.xlsx"
    namespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rows = f'<row r="1">{inline("A1", "x")}</row><x:row xmlns:x="{namespace}" r="1048576"><x:c r="XFD1048576"><x:v>1</x:v></x:c></x:row>'
    write_zip(path, workbook_parts(rows))
    refused(path, "工作表“Sheet1”范围过大（1048576 行 × 16384 列），疑似恶意文件，已拒绝读取")


def test_an_entity_bomb_in_a_sheet_is_refused_unexpanded(tmp_path):
    path = tmp_path / "实体炸弹.xlsx"
    write_zip(path, workbook_parts(f'<row r="1">{inline("A1", "&lol9;")}</row>', prolog=BILLION_LAUGHS))
    refused(path, f"{SHEET} 含 DTD 实体声明（XML 实体炸弹的写法），疑似恶意文件，已拒绝读取", memory_mb=400)


def test_an_entity_bomb_in_the_shared_strings_is_refused_unexpanded(tmp_path):
    path = tmp_path / "共享实体.xlsx"
    parts = workbook_parts('<row r="1"><c r="A1" t="s"><v>0</v></c></row>')
    parts["xl/sharedStrings.xml"] = (
        SHEET_HEAD + BILLION_LAUGHS + '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<si><t>&lol9;</t></si></sst>"
    )
    write_zip(path, parts)
    refused(path, "xl/sharedStrings.xml 含 DTD 实体声明（XML 实体炸弹的写法），疑似恶意文件，已拒绝读取", memory_mb=400)


def test_calamine_itself_does_not_expand_an_entity_bomb_hidden_past_the_prolog_check(tmp_path):
    # A long comment pushes the DTD beyond the bytes jixiao looks at: calamine then meets the
    # entity reference and stops with an error instead of expanding a billion laughs.
    path = tmp_path / "深藏实体.xlsx"
    prolog = "<!--" + "x" * 8192 + "-->" + BILLION_LAUGHS
    write_zip(path, workbook_parts(f'<row r="1">{inline("A1", "&lol9;")}</row>', prolog=prolog))
    refused(path, "工作表“Sheet1”已损坏，无法读取（含自定义 XML 实体，疑似恶意文件）", memory_mb=400)


def test_an_external_entity_is_not_resolved(tmp_path):
    path = tmp_path / "外部实体.xlsx"
    prolog = "<!--" + "x" * 8192 + '--><!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    write_zip(path, workbook_parts(f'<row r="1">{inline("A1", "&secret;")}</row>', prolog=prolog))
    refused(path, "工作表“Sheet1”已损坏，无法读取（含自定义 XML 实体，疑似恶意文件）")


def test_a_forged_shared_string_count_is_refused(tmp_path):
    path = tmp_path / "计数.xlsx"
    parts = workbook_parts('<row r="1"><c r="A1" t="s"><v>0</v></c></row>')
    parts["xl/sharedStrings.xml"] = (
        SHEET_HEAD + '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
        'uniqueCount="2000000000"><si><t>x</t></si></sst>'
    )
    write_zip(path, parts)
    refused(path, "共享字符串表声明的字符串数目异常（2,000,000,000），疑似恶意文件，已拒绝读取")


def test_a_zip_bomb_is_refused_before_anything_is_inflated(tmp_path):
    path = tmp_path / "压缩炸弹.xlsx"
    parts = workbook_parts("")
    parts[SHEET] = SHEET_HEAD + SHEET_OPEN + " " * (64 << 20) + SHEET_CLOSE
    write_zip(path, parts)
    refused(path, f"压缩比异常（{SHEET}），疑似压缩炸弹，已拒绝读取", memory_mb=400)


def test_a_member_larger_than_its_header_says_is_not_inflated_beyond_it(tmp_path):
    # The header declares 200 bytes (and their checksum); the data inflates to 1 GB.
    path = tmp_path / "伪造大小.xlsx"
    head = (SHEET_HEAD + SHEET_OPEN).encode()
    declared = head + b" " * (200 - len(head))
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    # Full flushes make each chunk independent, so one compressed megabyte can be repeated.
    stream = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    chunk = compressor.compress(b" " * (1 << 20)) + compressor.flush(zlib.Z_FULL_FLUSH)
    stream += chunk * 1024 + compressor.compress(SHEET_CLOSE.encode()) + compressor.flush()
    members = {name: data.encode() for name, data in workbook_parts("").items() if name != SHEET}
    entries = [(name, zlib.compress(data)[2:-4], len(data), zlib.crc32(data)) for name, data in members.items()]
    entries.append((SHEET, stream, len(declared), zlib.crc32(declared)))
    write_raw_zip(path, entries)
    result = read_bounded(path, memory_mb=400)
    assert result.forms == 0
    assert len(result.errors) == 1
    assert result.errors[0].startswith(f"{path}: 工作表“Sheet1”已损坏，无法读取")


def write_raw_zip(path, entries: list[tuple[str, bytes, int, int]]) -> None:
    """A zip of deflated members whose headers say (uncompressed size, CRC) as given."""
    body, directory = bytearray(), bytearray()
    for name, compressed, size, crc in entries:
        encoded = name.encode()
        offset = len(body)
        body += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(compressed), size, len(encoded), 0)
        body += encoded + compressed
        directory += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(compressed), size, len(encoded), 0, 0, 0, 0, 0, offset
        )
        directory += encoded
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(directory), len(body), 0)
    path.write_bytes(bytes(body + directory + end))


def test_an_xlsm_workbook_is_refused_and_its_macros_never_run(tmp_path):
    path = tmp_path / "宏.xlsm"
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "项目支出绩效自评表"
    workbook.save(path)
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + bytes(508))
    refused(path, "含宏的工作簿不予读取，请另存为 .xlsx")


def test_a_sheet_with_broken_xml_names_the_sheet(tmp_path):
    path = tmp_path / "残缺.xlsx"
    parts = workbook_parts(f'<row r="1">{inline("A1", "项目名称")}</row>')
    parts[SHEET] = parts[SHEET][:-30]
    write_zip(path, parts)
    result = read_bounded(path)
    assert len(result.errors) == 1
    assert result.errors[0].startswith(f"{path}: 工作表“Sheet1”已损坏，无法读取（")


def test_thousands_of_overlapping_merges_take_bounded_time(tmp_path):
    path = tmp_path / "合并.xlsx"
    rows = "".join(f'<row r="{row}">{inline(f"A{row}", "x")}{inline(f"J{row}", "y")}</row>' for row in range(1, 201))
    merges = "".join(f'<mergeCell ref="A{first}:J200"/>' for first in range(1, 201)) * 100
    write_zip(path, workbook_parts(rows, tail=f'<mergeCells count="20000">{merges}</mergeCells>'))
    result = read_bounded(path, seconds=20)
    assert result.errors == [f"{path}: Sheet1：未找到项目支出绩效自评表或部门汇总表"]


def test_a_truncated_workbook_is_a_clear_error(tmp_path):
    whole = tmp_path / "完整.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "项目支出绩效自评表"
    workbook.save(whole)
    path = tmp_path / "截断.xlsx"
    path.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    result = read_bounded(path)
    assert len(result.errors) == 1
    assert result.errors[0].startswith(f"{path}: 文件已损坏或不完整，无法解压")


def test_an_xls_whose_sector_chain_loops_is_refused_before_calamine_follows_it(tmp_path):
    path = tmp_path / "环.xls"
    book = xlwt.Workbook()
    book.add_sheet("S").write(0, 0, "项目名称")
    book.save(str(path))
    data = bytearray(path.read_bytes())
    shift = struct.unpack_from("<H", data, 30)[0]
    fat = 512 + (struct.unpack_from("<I", data, 76)[0] << shift)
    struct.pack_into("<I", data, fat, 0)  # sector 0 (the workbook stream's first) now leads to itself
    path.write_bytes(bytes(data))
    refused(path, "Office 97-2003 文件结构已损坏（扇区链循环或越界），无法读取")


def xls_with(cells: dict[tuple[int, int], object]) -> bytes:
    """An .xls (xlwt) holding the cells, as bytes to doctor."""
    book = xlwt.Workbook()
    sheet = book.add_sheet("S")
    for (row, column), value in cells.items():
        sheet.write(row, column, value)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def patched(data: bytes, record: bytes, offset: int, fmt: str, *values) -> bytes:
    """The bytes with the first record starting with `record` (type and length) rewritten at `offset` into its body."""
    position = data.index(record)
    doctored = bytearray(data)
    struct.pack_into(fmt, doctored, position + 4 + offset, *values)
    return bytes(doctored)


def test_an_xls_cell_at_the_last_row_and_column_is_refused_before_calamine_reads_it(tmp_path):
    # An honest DIMENSIONS record announces the 65,536 × 256 rectangle calamine would build.
    path = tmp_path / "远端.xls"
    path.write_bytes(xls_with({(0, 0): "项目名称", (65535, 255): "x"}))
    refused(path, "工作表“S”范围过大（65536 行 × 256 列），疑似恶意文件，已拒绝读取")


def test_an_xls_cell_moved_far_away_behind_a_small_dimensions_record_is_refused(tmp_path):
    # The cell records themselves are measured: the DIMENSIONS record may lie.
    path = tmp_path / "伪造位置.xls"
    data = xls_with({(0, 0): "项目名称", (1, 1): 12.5})
    number = b"\x7e\x02\x0a\x00"  # RK record (xlwt's for 12.5), 10 bytes: row, column, format, value
    path.write_bytes(patched(data, number, 0, "<HH", 60000, 60000))
    refused(path, "工作表“S”范围过大（60001 行 × 60001 列），疑似恶意文件，已拒绝读取")


def test_an_xls_dimensions_record_asking_for_billions_of_cells_is_refused(tmp_path):
    path = tmp_path / "伪造维度.xls"
    data = xls_with({(0, 0): "项目名称"})
    dimensions = b"\x00\x02\x0e\x00"  # DIMENSIONS, 14 bytes: first row, last row + 1 (u32), columns (u16)
    path.write_bytes(patched(data, dimensions, 0, "<II", 0, 0x7FFFFFFF))
    refused(path, "工作表“S”范围过大（2147483647 行 × 1 列），疑似恶意文件，已拒绝读取")


def test_an_xls_shared_string_count_in_the_billions_is_refused(tmp_path):
    path = tmp_path / "伪造字符串数.xls"
    data = xls_with({(0, 0): "项目名称", (1, 0): "干部健康管理"})
    path.write_bytes(patched(data, b"\xfc\x00", 0, "<ii", 0x7FFFFFFF, 0x7FFFFFFF))
    refused(path, "共享字符串表声明的字符串数目异常（2,147,483,647），疑似恶意文件，已拒绝读取")


def test_a_panic_inside_calamine_is_a_clear_error_not_a_crash(tmp_path):
    # A BOUNDSHEET record pointing past the end of the stream makes calamine slice out of
    # range: a Rust panic, raised in Python as a BaseException that `except Exception` misses.
    path = tmp_path / "越界.xls"
    data = xls_with({(0, 0): "项目名称"})
    path.write_bytes(patched(data, b"\x85\x00", 0, "<I", 0x7FFFFFF0))
    result = read_bounded(path)
    assert len(result.errors) == 1
    assert result.errors[0].startswith(f"{path}: 工作簿已损坏，无法读取（")


def test_a_truncated_xls_is_a_clear_error(tmp_path):
    whole = tmp_path / "完整.xls"
    book = xlwt.Workbook()
    sheet = book.add_sheet("S")
    for row in range(300):
        sheet.write(row, 0, f"第{row}行")
    book.save(str(whole))
    path = tmp_path / "截断.xls"
    path.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    result = read_bounded(path)
    assert len(result.errors) == 1
    assert result.errors[0].startswith(f"{path}: Office 97-2003 文件结构已损坏（")


def test_a_member_whose_bytes_do_not_match_its_checksum_is_refused(tmp_path):
    # calamine does not check CRCs: a flipped digit would be read as data.
    path = tmp_path / "校验.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for name, data in workbook_parts('<row r="1"><c r="A1"><v>100</v></c></row>').items():
            archive.writestr(name, data)
    data = path.read_bytes()
    path.write_bytes(data.replace(b"<v>100</v>", b"<v>900</v>"))
    refused(path, f"文件已损坏或不完整，{SHEET} 校验失败")
