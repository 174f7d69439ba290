"""Files that are not what they claim, cut short, empty, huge or unknown: a clear error
naming the file, in bounded time and memory (bounded.py), whatever the format."""

from __future__ import annotations

import os
import shutil

import openpyxl
import pytest
from bounded import read_bounded
from conftest import sample

MB = 1 << 20


def refused(path, message: str, **bounds) -> None:
    result = read_bounded(path, **bounds)
    assert result.forms == 0
    assert result.errors == [f"{path}: {message}"]


def test_a_text_extraction_with_an_office_extension_is_read_as_text(tmp_path):
    for suffix in (".xlsx", ".xls", ".docx", ".pdf"):
        path = tmp_path / f"自评表{suffix}"
        shutil.copy(sample("shenzhen-culture-bureau-2021.txt"), path)
        result = read_bounded(path)
        assert (result.forms, result.errors) == (3, [])


def test_a_workbook_with_a_text_extension_is_read_as_a_workbook(tmp_path):
    path = tmp_path / "自评表.txt"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row, line in enumerate(sample("shenzhen-culture-bureau-2021.txt").read_text(encoding="utf-8").split("\n"), 1):
        for column, text in enumerate(line.split("\t"), 1):
            if text:
                sheet.cell(row, column, text)
    workbook.save(path)
    result = read_bounded(path)
    assert (result.forms, result.errors) == (3, [])


def test_an_empty_file_says_it_is_empty(tmp_path):
    path = tmp_path / "空.xlsx"
    path.write_bytes(b"")
    refused(path, "文件为空")


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path):
    path = tmp_path / "巨大.xlsx"
    with open(path, "wb") as handle:
        handle.truncate(60 * MB)  # sparse: no disk used, and it is never read
    refused(path, "文件过大（60.0 MB，上限 50 MB，可用 JIXIAO_MAX_FILE_MB 调整）")


def test_the_size_limit_follows_jixiao_max_file_mb(tmp_path, monkeypatch):
    path = tmp_path / "较大.txt"
    text = sample("luohu-culture-bureau-2021.txt").read_bytes()
    copies = MB // len(text) + 2  # a little over 1 MB: 22 forms a copy
    path.write_bytes(text * copies)
    size = os.path.getsize(path) / MB
    monkeypatch.setenv("JIXIAO_MAX_FILE_MB", "1")
    refused(path, f"文件过大（{size:.1f} MB，上限 1 MB，可用 JIXIAO_MAX_FILE_MB 调整）")
    monkeypatch.setenv("JIXIAO_MAX_FILE_MB", "5")
    assert read_bounded(path).forms == 22 * copies


def test_a_truncated_zip_is_a_clear_error(tmp_path):
    path = tmp_path / "截断.docx"
    path.write_bytes(b"PK\x03\x04" + bytes(100))
    result = read_bounded(path)
    assert len(result.errors) == 1
    assert result.errors[0].startswith(f"{path}: 文件已损坏或不完整，无法解压")


def test_a_truncated_compound_file_is_a_clear_error(tmp_path):
    path = tmp_path / "截断.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))
    refused(path, "Office 97-2003 文件结构已损坏（文件头不完整），无法读取")


def test_unknown_binary_content_is_not_taken_for_text(tmp_path):
    path = tmp_path / "未知.xlsx"
    path.write_bytes(bytes(range(256)) * 64)
    refused(path, "不是文本文件（含二进制内容）")


@pytest.mark.parametrize("kind", ["missing", "directory"])
def test_a_path_that_is_no_file_is_a_clear_error(tmp_path, kind):
    path = tmp_path / "自评表.xlsx"
    if kind == "directory":
        path.mkdir()
    result = read_bounded(path)
    assert len(result.errors) == 1
    assert result.errors[0].startswith(f"{path}: 无法打开文件（")
