"""Text files → grids: one line is one row, a tab a cell; UTF-8, GB18030 or UTF-16 text."""

from __future__ import annotations

import pytest

from jixiao.readers import read_file, read_grids
from jixiao.readers.grid import ReadError
from jixiao.readers.text import grid_from_text, read_text_grid


def texts(grid):
    return [grid.texts(index) for index in range(len(grid.rows))]


def test_a_line_is_a_row_and_a_tab_is_a_cell_boundary():
    grid = grid_from_text("项目名称\t干部健康管理\t\t项目金额\t300000\n\n⇥\tx\n", "a.txt")
    assert texts(grid) == [["项目名称", "干部健康管理", "", "项目金额", "300000"], [""], ["⇥", "x"]]
    assert grid.file == "a.txt"


def test_rows_keep_their_one_based_file_line_numbers():
    grid = grid_from_text("a\nb\nc", "a.txt")
    assert [grid.line_of(index) for index in range(3)] == [1, 2, 3]
    assert grid_from_text("a\nb", "a.txt", first_line=40).line_of(1) == 41


def test_windows_and_old_mac_line_ends_give_the_same_rows():
    assert texts(grid_from_text("a\tb\r\nc\rd\n", "a.txt")) == [["a", "b"], ["c"], ["d"]]


def test_a_file_without_a_final_newline_keeps_its_last_line():
    assert texts(grid_from_text("a\nb", "a.txt")) == [["a"], ["b"]]


def test_cell_texts_are_kept_as_extracted():
    assert texts(grid_from_text(" 项目资金 (元)\t 0.56 ", "a.txt")) == [[" 项目资金 (元)", " 0.56 "]]


def test_utf8_with_a_byte_order_mark_reads_without_it(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeff项目支出绩效自评表\n项目名称\t测试\n".encode())
    assert texts(read_text_grid(path)) == [["项目支出绩效自评表"], ["项目名称", "测试"]]


def test_gbk_text_is_decoded_as_gb18030(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes("项目名称：\t干部健康管理\t其中：当年财政拨款\n".encode("gbk"))
    assert texts(read_text_grid(path)) == [["项目名称：", "干部健康管理", "其中：当年财政拨款"]]


def test_utf16_text_with_a_byte_order_mark_is_decoded(tmp_path):
    path = tmp_path / "unicode.txt"  # Excel's "Unicode text" export
    path.write_bytes("总分\t100\t83.6\r\n".encode("utf-16"))
    assert texts(read_text_grid(path)) == [["总分", "100", "83.6"]]


@pytest.mark.parametrize("content", [b"", b"\n\n  \r\n"])
def test_an_empty_file_is_a_read_error_naming_the_file(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(ReadError) as caught:
        read_text_grid(path)
    assert caught.value.file == str(path)
    assert "文件为空" in str(caught.value)
    assert str(path) in str(caught.value)


def test_a_binary_file_is_a_read_error_naming_the_file(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(ReadError) as caught:
        read_text_grid(path)
    assert caught.value.file == str(path)
    assert "不是文本文件" in caught.value.message


def test_bytes_that_are_neither_utf8_nor_gb18030_are_a_read_error(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("caf\xe9\t\xff\n".encode("latin-1"))
    with pytest.raises(ReadError) as caught:
        read_text_grid(path)
    assert "UTF-8" in caught.value.message


def test_a_missing_file_is_a_read_error_and_read_file_does_not_raise(tmp_path):
    path = tmp_path / "missing.txt"
    with pytest.raises(ReadError):
        read_grids(path)
    result = read_file(path)
    assert (result.path, result.forms, len(result.errors)) == (str(path), (), 1)
    assert result.errors[0].file == str(path)
