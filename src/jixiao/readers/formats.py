"""Which format a file is, told by its content, not its name (文件格式识别).

Units rename files freely (an .xlsx saved as .xls, a text export called .xlsx), so the first
bytes decide: a zip is an Office Open XML package, told apart by its member names (or, when
the main part has no usual name, by the part its content types and relationships name); an OLE2
compound file (`D0 CF 11 E0`) is a legacy .xls workbook, a password-protected OOXML package
(Office encrypts an .xlsx/.docx into an OLE2 file with an `EncryptedPackage` stream) or a
.doc; `%PDF` is a PDF; anything else goes to the text reader, which refuses binary data.
Files that are refused here (macros, passwords, .doc, web pages saved as .xls) get a message
that tells the unit what to do instead.
"""

from __future__ import annotations

from enum import StrEnum

from jixiao.readers.compound_file import inspect_compound_file
from jixiao.readers.grid import ReadError
from jixiao.readers.limits import Limits, open_zip
from jixiao.readers.office_package import WORD_MAIN_TYPES, OfficePackage


class FileFormat(StrEnum):
    """A format jixiao has a grid reader for."""

    TEXT = "text"
    XLSX = "xlsx"
    XLS = "xls"
    DOCX = "docx"
    PDF = "pdf"


_HEAD_BYTES = 1024  # PDF allows junk before `%PDF-` within the first 1,024 bytes
_ZIP_MAGIC = b"PK\x03\x04"
_EMPTY_ZIP_MAGIC = b"PK\x05\x06"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PDF_MAGIC = b"%PDF-"

# Leading bytes of formats that are certainly not a form, named in the error so the unit
# knows what it sent.
_OTHER_MAGICS = (
    (b"\x89PNG", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF8", "GIF 图片"),
    (b"Rar!", "RAR 压缩包"),
    (b"7z\xbc\xaf", "7z 压缩包"),
    (b"\x1f\x8b", "gzip 压缩包"),
    (b"{\\rtf", "RTF 文档（请另存为 .docx）"),
)
# Web systems often export "Excel" files that are HTML tables or Excel 2003 XML; they read
# as text to the text reader but hold no tab-separated rows.
_MARKUP_STARTS = (b"<html", b"<!doctype html", b"<table", b"mime-version:")
_SPREADSHEET_XML = b"urn:schemas-microsoft-com:office:spreadsheet"
_MARKUP_MESSAGE = "这是网页（HTML/XML）格式的文件，不是 Excel 工作簿：请用 Excel 打开后另存为 .xlsx"

# VBA projects (.xlsm/.docm) and Excel 4.0 macro sheets live in these members; they are never
# executed, but the issue counts macro-enabled files as hostile, so they are refused outright.
_MACRO_SUFFIX = "vbaproject.bin"
_MACRO_SHEETS = "xl/macrosheets/"
_WORKBOOK_MEMBERS = frozenset({"xl/workbook.xml"})
_BINARY_WORKBOOK_MEMBERS = frozenset({"xl/workbook.bin"})
_DOCUMENT_MEMBERS = frozenset({"word/document.xml"})
_ODF_MIMETYPE = b"application/vnd.oasis.opendocument"

# Stream and storage names of a compound file's directory (case-insensitive, as in OLE2).
_ENCRYPTED_PACKAGE = "encryptedpackage"
_WORKBOOK_STREAMS = frozenset({"workbook", "book"})  # BIFF8 (Excel 97–2003, WPS .et), BIFF5
_WORD_STREAM = "worddocument"
_VBA_STORAGES = frozenset({"_vba_project_cur", "vba"})


def sniff_format(file: str, limits: Limits) -> FileFormat:
    """The file's format from its content; ReadError for content jixiao refuses to read."""
    try:
        with open(file, "rb") as handle:
            head = handle.read(_HEAD_BYTES)
    except OSError as error:
        raise ReadError(file, f"无法打开文件（{error.strerror or error}）") from None
    if head.startswith(_ZIP_MAGIC) or head.startswith(_EMPTY_ZIP_MAGIC):
        return _zip_format(file, limits)
    if head.startswith(_OLE2_MAGIC):
        return _ole2_format(file)
    if _PDF_MAGIC in head:
        return FileFormat.PDF
    for magic, name in _OTHER_MAGICS:
        if head.startswith(magic):
            raise ReadError(file, f"不是自评表文件（内容是{name}）")
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(_MARKUP_STARTS) or (start.startswith(b"<?xml") and _SPREADSHEET_XML in head):
        raise ReadError(file, _MARKUP_MESSAGE)
    return FileFormat.TEXT


def _zip_format(file: str, limits: Limits) -> FileFormat:
    """An Office package's format by its members, after `open_zip` has ruled out bombs."""
    with open_zip(file, limits) as archive:
        names = {name.lower() for name in archive.namelist()}
        if any(name.endswith(_MACRO_SUFFIX) or name.startswith(_MACRO_SHEETS) for name in names):
            if any(name.startswith("word/") for name in names):
                raise ReadError(file, "含宏的文档不予读取，请另存为 .docx")
            raise ReadError(file, "含宏的工作簿不予读取，请另存为 .xlsx")
        if not _WORKBOOK_MEMBERS.isdisjoint(names):
            return FileFormat.XLSX
        if not _DOCUMENT_MEMBERS.isdisjoint(names):
            return FileFormat.DOCX
        if not _BINARY_WORKBOOK_MEMBERS.isdisjoint(names):
            raise ReadError(file, "不支持 Excel 二进制工作簿（.xlsb），请另存为 .xlsx")
        package = OfficePackage(archive)
        if _ODF_MIMETYPE in package.head("mimetype", 128):
            raise ReadError(file, "不支持 OpenDocument（.ods/.odt）文件，请另存为 .xlsx 或 .docx")
        if _names_word_document(package):
            return FileFormat.DOCX
    raise ReadError(file, "压缩包不是 Excel（.xlsx）或 Word（.docx）文件，无法识别")


def _names_word_document(package: OfficePackage) -> bool:
    """Whether a package without `word/document.xml` names a Word main part elsewhere
    (`word/document2.xml` from older Mac Word, some WPS versions, rebuilt files).

    The content types decide, even for a part that is missing (the reader then says so);
    failing them, the root relationship's target when its first bytes are WordprocessingML.
    Only these two small parts and that head are read, never the document itself.
    """
    if package.parts_typed(WORD_MAIN_TYPES):
        return True
    target = package.main_part()
    return target is not None and package.starts_as_word_document(target)


def _ole2_format(file: str) -> FileFormat:
    """A compound file's format by the streams its directory names."""
    names = {name.lower() for name in inspect_compound_file(file).names}
    if _ENCRYPTED_PACKAGE in names:
        raise ReadError(file, "文件设有密码，请去除密码后再提交")
    if not _WORKBOOK_STREAMS.isdisjoint(names):
        if not _VBA_STORAGES.isdisjoint(names):
            raise ReadError(file, "含宏的工作簿不予读取，请另存为 .xlsx")
        return FileFormat.XLS
    if _WORD_STREAM in names:
        raise ReadError(file, "不支持 Word 97-2003（.doc）文件，请另存为 .docx")
    raise ReadError(file, "无法识别的 Office 97-2003 文件（不是 .xls 工作簿）")
