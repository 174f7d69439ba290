"""Hostile and broken Word files end in a clear error, in bounded time and memory.

Each file goes through `read_file` in a child process with a time and memory cap
(bounded.py; 30 s and 1.5 GB unless a test sets less), the way a batch meets it: content
sniffing, then the .docx reader.
"""

from __future__ import annotations

import random
import struct
import zipfile
from pathlib import Path

import docx
import pytest
from bounded import read_bounded
from conftest import sample

from jixiao.readers import docx as docx_reader
from jixiao.readers.limits import Limits

LUOHU_2021 = "luohu-culture-bureau-2021.txt"
_DOCUMENT = "word/document.xml"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def form_document(path: Path) -> Path:
    """luohu-culture-bureau-2021.txt lines 5–23 (干部健康管理) as one Word table, no merges."""
    lines = sample(LUOHU_2021).read_text(encoding="utf-8").split("\n")[4:23]
    document = docx.Document()
    document.add_paragraph("项目支出绩效自评表")
    table = document.add_table(rows=len(lines), cols=9)
    for row, line in enumerate(lines):
        for column, text in enumerate(line.split("\t")[:9]):
            if text:
                table.cell(row, column).text = text
    document.save(path)
    return path


def rewrite(source: Path, target: Path, replace: dict[str, bytes], add: dict[str, bytes] | None = None) -> Path:
    """A copy of a .docx with some members replaced and others added."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in original.infolist():
            copy.writestr(info.filename, replace.get(info.filename, original.read(info.filename)))
        for name, data in (add or {}).items():
            copy.writestr(name, data)
    return target


def with_doctype(source: Path, target: Path, doctype: str, reference: str) -> Path:
    """The document part with a DOCTYPE before its root and `reference` in the 项目名称 cell."""
    with zipfile.ZipFile(source) as original:
        xml = original.read(_DOCUMENT).decode("utf-8")
    declaration_end = xml.index("?>") + 2
    xml = xml[:declaration_end] + doctype + xml[declaration_end:]
    assert "<w:t>干部健康管理</w:t>" in xml
    xml = xml.replace("<w:t>干部健康管理</w:t>", f"<w:t>干部健康管理{reference}</w:t>")
    return rewrite(source, target, {_DOCUMENT: xml.encode("utf-8")})


@pytest.fixture()
def good(tmp_path) -> Path:
    return form_document(tmp_path / "自评表.docx")


def test_the_well_formed_document_used_below_reads_one_form(good):
    assert read_bounded(good).forms == 1


@pytest.mark.parametrize("name", ["自评表.xlsx", "自评表.pdf", "自评表.txt", "自评表"])
def test_a_document_with_the_wrong_extension_is_read_by_its_content(good, tmp_path, name):
    renamed = tmp_path / name
    renamed.write_bytes(good.read_bytes())
    assert read_bounded(renamed).forms == 1


def test_a_document_cut_short_is_reported_as_incomplete(good, tmp_path):
    data = good.read_bytes()
    truncated = tmp_path / "截断.docx"
    truncated.write_bytes(data[: len(data) // 2])
    result = read_bounded(truncated)
    assert result.forms == 0
    assert len(result.errors) == 1 and "损坏或不完整" in result.errors[0]


def test_a_document_with_damaged_compressed_data_is_reported_as_corrupt(good, tmp_path):
    with zipfile.ZipFile(good) as archive:
        info = archive.getinfo(_DOCUMENT)
    data = bytearray(good.read_bytes())
    # The member's local header is 30 bytes plus its name and extra field; overwrite the
    # middle of its compressed data, leaving the zip directory intact.
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    middle = start + info.compress_size // 2
    data[middle : middle + 64] = bytes(64)
    damaged = tmp_path / "损坏.docx"
    damaged.write_bytes(bytes(data))
    result = read_bounded(damaged)
    assert result.forms == 0
    assert len(result.errors) == 1 and "损坏" in result.errors[0]


def test_a_document_part_that_is_not_xml_is_reported_as_corrupt(good, tmp_path):
    broken = rewrite(good, tmp_path / "正文损坏.docx", {_DOCUMENT: b"<w:document><w:body><w:tbl>\x00\x01 garbage"})
    result = read_bounded(broken)
    assert result.forms == 0
    assert len(result.errors) == 1 and "不是有效的 XML" in result.errors[0]


def test_a_macro_enabled_document_is_refused(good, tmp_path):
    macro = rewrite(good, tmp_path / "宏.docm", {}, add={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0" + bytes(508)})
    result = read_bounded(macro)
    assert result.forms == 0
    assert len(result.errors) == 1 and "含宏" in result.errors[0]


def encrypted_package(path: Path) -> Path:
    """What Word writes for a password-protected .docx: not a zip but an OLE2 compound file
    (MS-CFB v3, 512-byte sectors) holding EncryptionInfo and EncryptedPackage (MS-OFFCRYPTO).

    Sector 0 is the FAT, sector 1 the directory, sectors 2–9 the (here zeroed) package.
    """
    end_of_chain, free = 0xFFFFFFFE, 0xFFFFFFFF
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        bytes(16),
        0x3E,  # minor version
        3,  # major version
        0xFFFE,  # byte order
        9,  # sector shift: 512 bytes
        6,  # mini sector shift: 64 bytes
        bytes(6),
        0,  # directory sectors (always 0 in version 3)
        1,  # FAT sectors
        1,  # first directory sector
        0,  # transaction signature
        4096,  # mini stream cutoff
        end_of_chain,  # first mini FAT sector
        0,
        end_of_chain,  # first DIFAT sector
        0,
    ) + struct.pack("<109I", 0, *[free] * 108)
    fat = [0xFFFFFFFD, end_of_chain, *range(3, 10), end_of_chain]
    fat_sector = struct.pack("<128I", *fat, *[free] * (128 - len(fat)))

    def entry(name: str, kind: int, start: int, size: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1) + bytes(48) + struct.pack("<IQ", start, size)

    directory = (
        entry("Root Entry", 5, end_of_chain, 0)
        + entry("EncryptionInfo", 2, end_of_chain, 0)
        + entry("EncryptedPackage", 2, 2, 4096)
        + bytes(128)
    )
    path.write_bytes(header + fat_sector + directory + bytes(8 * 512))
    return path


def test_a_password_protected_document_is_refused_with_a_request_to_remove_the_password(tmp_path):
    result = read_bounded(encrypted_package(tmp_path / "加密.docx"))
    assert result.forms == 0
    assert len(result.errors) == 1 and "密码" in result.errors[0]


def test_a_zip_with_encrypted_members_is_refused(good, tmp_path):
    data = bytearray(good.read_bytes())
    # Set the "encrypted" flag of every central directory entry, as zip password tools do.
    position = data.find(b"PK\x01\x02")
    while position != -1:
        flags = struct.unpack_from("<H", data, position + 8)[0]
        struct.pack_into("<H", data, position + 8, flags | 0x1)
        position = data.find(b"PK\x01\x02", position + 4)
    locked = tmp_path / "压缩包加密.docx"
    locked.write_bytes(bytes(data))
    result = read_bounded(locked)
    assert result.forms == 0
    assert len(result.errors) == 1 and "加密" in result.errors[0]


def test_a_billion_laughs_entity_bomb_is_refused_quickly(good, tmp_path):
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{level} "{("&lol%d;" % (level - 1) if level > 1 else "&lol;") * 10}">' for level in range(1, 10)
    )
    bomb = with_doctype(good, tmp_path / "实体炸弹.docx", f"<!DOCTYPE w:document [{entities}]>", "&lol9;")
    result = read_bounded(bomb, seconds=10, memory_mb=512)
    assert result.forms == 0
    assert len(result.errors) == 1
    # libxml2's amplification guard stops this one while parsing the DTD itself.
    assert "实体炸弹" in result.errors[0]


def test_a_doctype_is_refused_even_when_its_entities_stay_below_libxml2s_guard(good, tmp_path):
    """Entities are never expanded (resolve_entities=False); the reader also names the DTD."""
    entities = '<!ENTITY a "AAAAAAAAAA"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    bomb = with_doctype(good, tmp_path / "小实体.docx", f"<!DOCTYPE w:document [{entities}]>", "&b;")
    result = read_bounded(bomb, seconds=10, memory_mb=512)
    assert result.forms == 0
    assert len(result.errors) == 1 and "DTD" in result.errors[0] and "实体炸弹" in result.errors[0]


def test_entities_are_not_expanded_even_with_the_doctype_check_switched_off(good, tmp_path, monkeypatch):
    """The parser's own setting (resolve_entities=False), behind the DOCTYPE refusal."""
    monkeypatch.setattr(docx_reader, "_refuse_dtd", lambda element, file: None)
    entities = '<!ENTITY a "AAAAAAAAAA"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    document = with_doctype(good, tmp_path / "实体.docx", f"<!DOCTYPE w:document [{entities}]>", "&b;")
    (grid,) = docx_reader.read_docx(str(document), Limits())
    assert grid.rows[0][1].text == "干部健康管理"


def test_an_external_entity_is_not_fetched(good, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("机密内容", encoding="utf-8")
    doctype = f'<!DOCTYPE w:document [<!ENTITY x SYSTEM "file://{secret}">]>'
    attack = with_doctype(good, tmp_path / "外部实体.docx", doctype, "&x;")
    result = read_bounded(attack, seconds=10, memory_mb=512)
    assert result.forms == 0
    assert len(result.errors) == 1 and "DTD" in result.errors[0]
    assert "机密" not in result.errors[0]


def test_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path):
    bomb = tmp_path / "压缩炸弹.docx"
    filler = b"<w:p/>" * (1024 * 1024)  # 6 MB, written 12 times: ~72 MB that deflate to ~70 KB
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive, archive.open(_DOCUMENT, "w") as part:
        part.write(f'<?xml version="1.0"?><w:document xmlns:w="{_W}"><w:body>'.encode())
        for _ in range(12):
            part.write(filler)
        part.write(b"</w:body></w:document>")
    assert bomb.stat().st_size < 1024 * 1024
    result = read_bounded(bomb, seconds=20, memory_mb=512)
    assert result.forms == 0
    assert len(result.errors) == 1 and "疑似压缩炸弹" in result.errors[0]


def test_a_huge_table_within_the_zip_limits_is_streamed_in_bounded_memory(tmp_path):
    """30 MB of table XML with varied text, so it passes the zip bomb checks. Parsed whole,
    it does not fit in 384 MB (measured: lxml fails); read a row at a time it fits in 320 MB."""
    huge = tmp_path / "大表格.docx"
    noise = random.Random(0)
    with zipfile.ZipFile(huge, "w", zipfile.ZIP_DEFLATED) as archive, archive.open(_DOCUMENT, "w") as part:
        part.write(f'<?xml version="1.0"?><w:document xmlns:w="{_W}"><w:body><w:tbl>'.encode())
        written = 0
        while written < 30 * 1024 * 1024:
            cells = "".join(f"<w:tc><w:p><w:r><w:t>{noise.randbytes(6).hex()}</w:t></w:r></w:p></w:tc>" for _ in range(9))
            row = f"<w:tr>{cells}</w:tr>".encode()
            part.write(row)
            written += len(row)
        part.write(b"</w:tbl></w:body></w:document>")
    result = read_bounded(huge, seconds=60, memory_mb=320)
    assert result.forms == 0
    assert len(result.errors) == 1


def test_a_long_document_without_tables_is_streamed_in_bounded_memory(tmp_path):
    """30 MB of paragraphs and no table: the paragraphs are dropped as they are read."""
    long = tmp_path / "长文档.docx"
    noise = random.Random(1)
    with zipfile.ZipFile(long, "w", zipfile.ZIP_DEFLATED) as archive, archive.open(_DOCUMENT, "w") as part:
        part.write(f'<?xml version="1.0"?><w:document xmlns:w="{_W}"><w:body>'.encode())
        written = 0
        while written < 30 * 1024 * 1024:
            paragraphs = "".join(f"<w:p><w:r><w:t>{noise.randbytes(6).hex()}</w:t></w:r></w:p>" for _ in range(9))
            part.write(paragraphs.encode())
            written += len(paragraphs)
        part.write(b"</w:body></w:document>")
    result = read_bounded(long, seconds=60, memory_mb=320)
    assert result.forms == 0
    assert len(result.errors) == 1 and "没有表格" in result.errors[0]
