"""Hostile PDFs end in one clear error naming the file, in bounded time and memory.

Each file is read by `read_file` in a child process whose address space and run time are
capped (`bounded.read_bounded`): a bomb that got through would crash the child or time out.
"""

from __future__ import annotations

import random
import shutil
import zlib

import pdfplumber
import pytest
from conftest import sample
from formats.pdf_documents import encrypted_pdf, forms_pdf, many_pages_pdf, raw_pdf, sample_forms, scanned_pdf, stream_bomb_pdf
from hostile.bounded import read_bounded

from jixiao.readers.pdf import CORRUPT, NO_TEXT_LAYER, PASSWORD

SMALL_MEMORY = 600  # MB: far below what any of these files would take if inflated or parsed whole


@pytest.fixture(scope="module")
def form_pdf(tmp_path_factory):
    forms = sample_forms(sample("shenzhen-culture-bureau-2021.txt"))
    return forms_pdf(forms, tmp_path_factory.mktemp("pdf") / "forms.pdf")


def one_error(path, seconds: float = 20) -> str:
    result = read_bounded(path, seconds=seconds, memory_mb=SMALL_MEMORY)
    assert result.forms == 0
    assert len(result.errors) == 1
    message = result.errors[0]
    assert message.startswith(f"{path}: ")
    return message.removeprefix(f"{path}: ")


def test_a_pdf_cut_in_half_is_reported_as_incomplete(form_pdf, tmp_path):
    data = form_pdf.read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: len(data) // 2])
    assert one_error(cut) == f"{CORRUPT}（文件不完整，可能被截断）"


def test_a_pdf_missing_its_last_tenth_is_refused_without_guessing(form_pdf, tmp_path):
    data = form_pdf.read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: len(data) * 9 // 10])
    assert one_error(cut).startswith(CORRUPT)


def test_random_bytes_behind_a_pdf_header_are_reported_as_corrupt(tmp_path):
    noise = random.Random(7)
    path = tmp_path / "noise.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(noise.randrange(256) for _ in range(20_000)))
    assert one_error(path).startswith(CORRUPT)


def test_a_pdf_header_alone_is_reported_as_corrupt(tmp_path):
    path = tmp_path / "header.pdf"
    path.write_bytes(b"%PDF-1.4\n")
    assert one_error(path).startswith(CORRUPT)


def test_a_password_protected_pdf_asks_for_the_password_to_be_removed(tmp_path):
    path = encrypted_pdf(tmp_path / "locked.pdf", "1234")
    with pdfplumber.open(path, password="1234") as pdf:  # a real lock: the password opens it
        assert pdf.pages[0].extract_text() == "locked"
    assert one_error(path) == PASSWORD


def test_a_pdf_with_thousands_of_pages_is_refused_before_they_are_read(tmp_path):
    path = many_pages_pdf(tmp_path / "pages.pdf", 5000)
    assert one_error(path, seconds=10) == "PDF 页数超过上限（300 页），请拆分后再提交"


def test_a_page_tree_that_understates_its_page_count_is_refused_while_it_is_walked(tmp_path):
    kids = b" ".join(b"%d 0 R" % (4 + index) for index in range(400))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count 1 /Kids [%s] >>" % kids,
        b"<< /Length 0 >>\nstream\n\nendstream",
        *[b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>"] * 400,
    ]
    path = raw_pdf(objects, tmp_path / "understated.pdf")
    assert one_error(path, seconds=10) == "PDF 页数超过上限（300 页），请拆分后再提交"


def test_a_stream_that_inflates_to_hundreds_of_megabytes_is_refused_as_a_bomb(tmp_path):
    path = stream_bomb_pdf(tmp_path / "bomb.pdf", 300)
    assert path.stat().st_size < 1_000_000
    assert one_error(path, seconds=20) == "PDF 中的数据流解压后过大，疑似压缩炸弹，已拒绝读取"


def test_a_page_drawing_megabytes_of_lines_is_refused_before_it_is_parsed(tmp_path):
    drawing = zlib.compress(b"0 0 m 10 10 l S\n" * (3 * 1024 * 1024 // 16), 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(drawing) + drawing + b"\nendstream",
    ]
    path = raw_pdf(objects, tmp_path / "drawing.pdf")
    # Parsed, its 200,000 lines would take pdfminer about 12 s.
    assert one_error(path, seconds=5) == "第1页内容过多（3.0 MB），疑似恶意文件，已拒绝读取"


def test_arrays_nested_two_hundred_thousand_deep_end_in_an_error_not_a_crash(tmp_path):
    nested = b"[" * 200_000 + b"]" * 200_000
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Extra %s >>" % nested,
        b"<< /Length 0 >>\nstream\n\nendstream",
    ]
    assert one_error(raw_pdf(objects, tmp_path / "nested.pdf")) == "PDF 中没有任何文字"


def test_a_scan_is_refused_for_want_of_a_text_layer(tmp_path):
    assert one_error(scanned_pdf(tmp_path / "scan.pdf")) == NO_TEXT_LAYER


def test_a_form_pdf_named_as_a_workbook_is_read_as_the_pdf_it_is(form_pdf, tmp_path):
    renamed = tmp_path / "自评表.xlsx"
    shutil.copy(form_pdf, renamed)
    result = read_bounded(renamed, seconds=20, memory_mb=SMALL_MEMORY)
    assert (result.forms, result.errors) == (3, [])
