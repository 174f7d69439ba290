"""A .docx's main document part is found the way Word finds it, not by its usual name
(readers/office_package.py, formats.py, docx.py).

Older Mac Word, some WPS versions and tools that rebuild packages name the main part
`word/document2.xml`; `_rels/.rels` (the officeDocument relationship) and
`[Content_Types].xml` (its Override) say where it is. The documents here are written by
python-docx, then re-zipped with the main part renamed and those two parts edited, and must
read exactly as the original.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from conftest import sample
from exported_forms import LUOHU_2021, comparable

from jixiao.cli import cli
from jixiao.readers import FileFormat, ReadError, read_file, read_grids
from jixiao.readers.docx import read_docx
from jixiao.readers.formats import sniff_format
from jixiao.readers.limits import Limits

LIMITS = Limits()
_MAIN = "word/document.xml"
_MAIN_RELATIONSHIPS = "word/_rels/document.xml.rels"
_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_STRICT_OFFICE_DOCUMENT = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
# What python-docx writes for the main part in the two package parts.
_RELATIONSHIP = f'Type="{_OFFICE_DOCUMENT}" Target="word/document.xml"'
_OVERRIDE = (
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
)


def form_document(path: Path) -> Path:
    """luohu-culture-bureau-2021.txt lines 5–23 (干部健康管理) as one Word table under a title."""
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


def repackaged(
    source: Path,
    target: Path,
    member: str = "word/document2.xml",
    relationship: str | None = "word/document2.xml",
    override: str | None = "/word/document2.xml",
    relationship_type: str = _OFFICE_DOCUMENT,
) -> Path:
    """A copy of a python-docx file with its main part stored as `member` (and the part's own
    relationships renamed with it), the root relationship targeting `relationship` and the
    content types overriding `override`; None leaves that entry out."""
    with zipfile.ZipFile(source) as original:
        parts = {info.filename: original.read(info) for info in original.infolist()}
    relationships = parts["_rels/.rels"].decode("utf-8")
    content_types = parts["[Content_Types].xml"].decode("utf-8")
    assert _RELATIONSHIP in relationships and _OVERRIDE in content_types
    if relationship is None:
        start = relationships.rindex("<Relationship ", 0, relationships.index(_RELATIONSHIP))
        end = relationships.index("/>", start) + 2
        relationships = relationships[:start] + relationships[end:]
    else:
        relationships = relationships.replace(_RELATIONSHIP, f'Type="{relationship_type}" Target="{relationship}"')
    new_override = "" if override is None else _OVERRIDE.replace("/word/document.xml", override)
    parts["_rels/.rels"] = relationships.encode("utf-8")
    parts["[Content_Types].xml"] = content_types.replace(_OVERRIDE, new_override).encode("utf-8")
    parts[member] = parts.pop(_MAIN)
    parts[f"word/_rels/{Path(member).name}.rels"] = parts.pop(_MAIN_RELATIONSHIPS)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for name, data in parts.items():
            copy.writestr(name, data)
    return target


def without_origin(forms: list[dict]) -> list[dict]:
    """Forms as `jixiao parse --json` prints them, without the file they came from."""
    for form in forms:
        del form["source"]["file"]
    return forms


def parse_json(path: Path) -> list[dict]:
    result = CliRunner().invoke(cli, ["parse", "--json", str(path)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return without_origin([json.loads(line) for line in result.stdout.splitlines()])


@pytest.fixture(scope="module")
def original(tmp_path_factory) -> Path:
    return form_document(tmp_path_factory.mktemp("docx") / "自评表.docx")


@pytest.fixture()
def renamed(original, tmp_path) -> Path:
    return repackaged(original, tmp_path / "改名.docx")


def test_the_original_document_stores_its_main_part_under_the_usual_name_and_reads_one_form(original):
    with zipfile.ZipFile(original) as archive:
        assert _MAIN in archive.namelist()
    assert sniff_format(str(original), LIMITS) is FileFormat.DOCX
    result = read_file(original)
    assert result.errors == ()
    assert [(form.project.name, form.total.score.text) for form in result.forms] == [("干部健康管理", "83.6")]


def test_a_renamed_main_part_reads_to_the_same_grids_as_the_original(original, renamed):
    with zipfile.ZipFile(renamed) as archive:
        assert _MAIN not in archive.namelist() and "word/document2.xml" in archive.namelist()
    expected = [(grid.part, grid.rows) for grid in read_grids(original)]
    assert [(grid.part, grid.rows) for grid in read_grids(renamed)] == expected


def test_a_renamed_main_part_reads_to_the_same_forms_as_the_original(original, renamed):
    result = read_file(renamed)
    assert result.errors == ()
    assert [comparable(form) for form in result.forms] == [comparable(form) for form in read_file(original).forms]


def test_jixiao_parse_prints_the_same_json_for_the_renamed_document(original, renamed):
    printed = parse_json(renamed)
    assert len(printed) == 1
    assert printed == parse_json(original)


def test_the_renamed_document_named_bin_is_recognised_by_its_content(original, renamed, tmp_path):
    binary = tmp_path / "自评表.bin"
    shutil.copy(renamed, binary)
    assert sniff_format(str(binary), LIMITS) is FileFormat.DOCX
    result = read_file(binary)
    assert result.errors == ()
    assert [comparable(form) for form in result.forms] == [comparable(form) for form in read_file(original).forms]
    assert parse_json(binary) == parse_json(original)


@pytest.mark.parametrize(
    ("member", "relationship", "override", "relationship_type"),
    [
        pytest.param("word/document2.xml", "word/document2.xml", None, _OFFICE_DOCUMENT, id="relationship-only"),
        pytest.param("word/document2.xml", None, "/word/document2.xml", _OFFICE_DOCUMENT, id="content-types-only"),
        pytest.param("word/document2.xml", "word/document2.xml", "/word/document2.xml", _STRICT_OFFICE_DOCUMENT, id="strict-relationship"),
        pytest.param("word/document2.xml", "/word/document2.xml", None, _OFFICE_DOCUMENT, id="absolute-target"),
        pytest.param("word/document2.xml", "./word/../word/document2.xml", None, _OFFICE_DOCUMENT, id="dot-segments"),
        pytest.param("Word/Document2.xml", "word/document2.xml", "/WORD/DOCUMENT2.XML", _OFFICE_DOCUMENT, id="other-case"),
        pytest.param("doc/main%20part.xml", "doc/main%20part.xml", "/doc/main%20part.xml", _OFFICE_DOCUMENT, id="other-folder"),
        pytest.param("doc/main part.xml", "doc/main%20part.xml", "/doc/main%20part.xml", _OFFICE_DOCUMENT, id="percent-decoded"),
    ],
)
def test_either_package_part_alone_finds_the_renamed_main_part(
    original, tmp_path, member, relationship, override, relationship_type
):
    path = repackaged(original, tmp_path / "改名.bin", member, relationship, override, relationship_type)
    assert sniff_format(str(path), LIMITS) is FileFormat.DOCX
    result = read_file(path)
    assert result.errors == ()
    assert [comparable(form) for form in result.forms] == [comparable(form) for form in read_file(original).forms]


def test_a_main_part_that_the_relationships_and_content_types_name_but_the_zip_lacks_is_a_clear_error(original, tmp_path):
    path = repackaged(original, tmp_path / "缺正文.docx", "word/document2.xml", "word/document3.xml", "/word/document3.xml")
    assert sniff_format(str(path), LIMITS) is FileFormat.DOCX
    message = "Word 文档的正文部件 word/document3.xml 不在文件中（_rels/.rels 指向它），文件不完整或已损坏"
    with pytest.raises(ReadError) as caught:
        read_docx(str(path), LIMITS)
    assert caught.value.message == message
    (error,) = read_file(path).errors
    assert error.message == message
    assert str(error).startswith(str(path))


def test_a_package_naming_no_main_part_anywhere_says_the_usual_part_is_missing(original, tmp_path):
    path = repackaged(original, tmp_path / "无正文.docx", relationship=None, override=None)
    with pytest.raises(ReadError) as caught:
        read_docx(str(path), LIMITS)
    assert caught.value.message == "不是 Word 文档（缺少正文部件 word/document.xml）"


def test_a_dangling_relationship_falls_back_to_the_part_under_its_usual_name(original, tmp_path):
    path = repackaged(original, tmp_path / "悬空关系.docx", member=_MAIN, relationship="word/gone.xml", override="/word/document.xml")
    result = read_file(path)
    assert result.errors == ()
    assert [comparable(form) for form in result.forms] == [comparable(form) for form in read_file(original).forms]


def test_a_presentation_is_not_taken_for_a_word_document(tmp_path):
    """A root relationship alone names a Word part only when that part is WordprocessingML."""
    path = tmp_path / "演示.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_OFFICE_DOCUMENT}" Target="ppt/presentation.xml"/></Relationships>',
        )
        archive.writestr(
            "ppt/presentation.xml",
            '<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>',
        )
    with pytest.raises(ReadError) as caught:
        sniff_format(str(path), LIMITS)
    assert caught.value.message == "压缩包不是 Excel（.xlsx）或 Word（.docx）文件，无法识别"


def test_root_relationships_with_an_entity_bomb_are_ignored_and_the_content_types_find_the_part(original, tmp_path):
    path = repackaged(original, tmp_path / "关系炸弹.docx")
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + level)} "{("&" + chr(97 + level) + ";") * 10}">' for level in range(9)
    )
    bomb = (
        f'<?xml version="1.0"?><!DOCTYPE Relationships [{entities}]>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_OFFICE_DOCUMENT}" Target="word/&j;.xml"/></Relationships>'
    )
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    parts["_rels/.rels"] = bomb.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    result = read_file(path)
    assert result.errors == ()
    assert [comparable(form) for form in result.forms] == [comparable(form) for form in read_file(original).forms]
