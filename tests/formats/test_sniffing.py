"""A file's format is told by its content, not its name (readers/formats.py, compound_file.py)."""

from __future__ import annotations

import shutil
import struct
import zipfile

import openpyxl
import pytest
import xlwt
from conftest import sample

from jixiao.readers import FileFormat, ReadError, read_file
from jixiao.readers.formats import sniff_format
from jixiao.readers.limits import Limits

LIMITS = Limits()
_END, _FREE, _FAT_SECTOR = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD


def compound_file(path, entries: list[tuple[str, int]]) -> None:
    """A minimal OLE2 compound file: a root and empty entries (name, type: 1 storage, 2 stream)."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIII", header, 44, 1, 1, 0, 4096, _END, 0, _END, 0)
    struct.pack_into("<109I", header, 76, 0, *[_FREE] * 108)
    fat = struct.pack("<128I", _FAT_SECTOR, _END, *[_FREE] * 126)
    directory = bytearray()
    for index, (name, kind) in enumerate([("Root Entry", 5), *entries]):
        encoded = (name + "\0").encode("utf-16-le")
        entry = bytearray(128)
        entry[: len(encoded)] = encoded
        right = index + 1 if 0 < index < len(entries) else _FREE
        child = 1 if index == 0 and entries else _FREE
        struct.pack_into("<HBBIII", entry, 64, len(encoded), kind, 1, _FREE, right, child)
        struct.pack_into("<IQ", entry, 116, _END, 0)
        directory += entry
    directory += bytes(-len(directory) % 512)
    path.write_bytes(bytes(header) + fat + bytes(directory))


def office_zip(path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def test_a_text_extraction_named_xlsx_is_read_as_text(tmp_path):
    path = tmp_path / "自评表.xlsx"
    shutil.copy(sample("shenzhen-culture-bureau-2021.txt"), path)
    assert sniff_format(str(path), LIMITS) is FileFormat.TEXT
    assert len(read_file(path).forms) == 3


def test_a_workbook_named_txt_or_xls_is_read_as_a_workbook(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "项目支出绩效自评表"
    for name in ("表.txt", "表.xls", "表"):
        path = tmp_path / name
        workbook.save(path)
        assert sniff_format(str(path), LIMITS) is FileFormat.XLSX


def test_a_legacy_workbook_named_xlsx_is_read_as_xls(tmp_path):
    path = tmp_path / "旧版.xlsx"
    book = xlwt.Workbook()
    book.add_sheet("S").write(0, 0, "项目名称")
    book.save(str(path))
    assert sniff_format(str(path), LIMITS) is FileFormat.XLS


def test_a_word_package_and_a_pdf_go_to_their_readers(tmp_path):
    document = tmp_path / "a.bin"
    office_zip(document, {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
    assert sniff_format(str(document), LIMITS) is FileFormat.DOCX
    pdf = tmp_path / "b.bin"
    pdf.write_bytes(b"\x00junk before the header\n%PDF-1.7\n")
    assert sniff_format(str(pdf), LIMITS) is FileFormat.PDF


@pytest.mark.parametrize(
    ("member", "message"),
    [
        ("xl/vbaProject.bin", "含宏的工作簿不予读取，请另存为 .xlsx"),
        ("word/vbaProject.bin", "含宏的文档不予读取，请另存为 .docx"),
        ("xl/macrosheets/sheet1.xml", "含宏的工作簿不予读取，请另存为 .xlsx"),  # Excel 4.0 macros
    ],
)
def test_a_macro_enabled_package_is_refused_without_being_opened(tmp_path, member, message):
    path = tmp_path / "宏.xlsm"
    main = "xl/workbook.xml" if member.startswith("xl/") else "word/document.xml"
    office_zip(path, {main: b"<x/>", member: b"\x00" * 64})
    result = read_file(path)
    assert [error.message for error in result.errors] == [message]
    assert str(result.errors[0]).startswith(str(path))


def test_a_password_protected_office_file_says_so(tmp_path):
    # Office encrypts a protected .xlsx/.docx into a compound file holding EncryptedPackage.
    path = tmp_path / "加密.xlsx"
    compound_file(path, [("EncryptionInfo", 2), ("EncryptedPackage", 2)])
    assert [error.message for error in read_file(path).errors] == ["文件设有密码，请去除密码后再提交"]


def test_a_legacy_workbook_with_a_vba_project_is_refused(tmp_path):
    path = tmp_path / "宏.xls"
    compound_file(path, [("Workbook", 2), ("_VBA_PROJECT_CUR", 1)])
    assert [error.message for error in read_file(path).errors] == ["含宏的工作簿不予读取，请另存为 .xlsx"]


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ([("WordDocument", 2), ("1Table", 2)], "不支持 Word 97-2003（.doc）文件，请另存为 .docx"),
        ([("PowerPoint Document", 2)], "无法识别的 Office 97-2003 文件（不是 .xls 工作簿）"),
    ],
)
def test_other_compound_files_are_named_in_the_error(tmp_path, entries, message):
    path = tmp_path / "旧文档.xls"
    compound_file(path, entries)
    assert [error.message for error in read_file(path).errors] == [message]


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({"xl/workbook.bin": b"\x00"}, "不支持 Excel 二进制工作簿（.xlsb），请另存为 .xlsx"),
        (
            {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"},
            "不支持 OpenDocument（.ods/.odt）文件，请另存为 .xlsx 或 .docx",
        ),
        ({"readme.txt": b"hello"}, "压缩包不是 Excel（.xlsx）或 Word（.docx）文件，无法识别"),
    ],
)
def test_zip_files_that_are_not_forms_are_named_in_the_error(tmp_path, members, message):
    path = tmp_path / "包.xlsx"
    office_zip(path, members)
    assert [error.message for error in read_file(path).errors] == [message]


@pytest.mark.parametrize(
    "content",
    [
        b"<html><body><table><tr><td>\xe9\xa1\xb9\xe7\x9b\xae</td></tr></table></body></html>",
        b"\xef\xbb\xbf\r\n<table border=1><tr><td>x</td></tr></table>",
        b'<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>',
        b"MIME-Version: 1.0\r\nContent-Type: multipart/related\r\n",
    ],
)
def test_a_web_page_saved_as_xls_is_told_apart_from_a_text_extraction(tmp_path, content):
    path = tmp_path / "导出.xls"
    path.write_bytes(content)
    message = read_file(path).errors[0].message
    assert message == "这是网页（HTML/XML）格式的文件，不是 Excel 工作簿：请用 Excel 打开后另存为 .xlsx"


@pytest.mark.parametrize(
    ("content", "named"),
    [(b"\x89PNG\r\n\x1a\n" + bytes(32), "PNG 图片"), (b"Rar!\x1a\x07\x00", "RAR 压缩包"), (b"\x1f\x8b\x08\x00", "gzip 压缩包")],
)
def test_a_picture_or_an_archive_is_named_in_the_error(tmp_path, content, named):
    path = tmp_path / "自评表.xlsx"
    path.write_bytes(content)
    assert read_file(path).errors[0].message == f"不是自评表文件（内容是{named}）"


def test_a_compound_file_whose_sector_chain_loops_is_refused(tmp_path):
    path = tmp_path / "环.xls"
    compound_file(path, [("Workbook", 2)])
    data = bytearray(path.read_bytes())
    struct.pack_into("<I", data, 512 + 4, 1)  # the directory's sector now points to itself
    path.write_bytes(bytes(data))
    with pytest.raises(ReadError) as caught:
        sniff_format(str(path), LIMITS)
    assert caught.value.message == "Office 97-2003 文件结构已损坏（扇区链循环或越界），无法读取"
