"""Exported .xlsx and .docx files open in LibreOffice: `soffice --headless --convert-to pdf`.

LibreOffice is the strictest reader at hand of what Excel and Word accept; a file it cannot
convert would not reach a reviewer. Each run uses a fresh profile directory, so a running
LibreOffice or a stale profile cannot interfere.
"""

from __future__ import annotations

import subprocess

import pdfplumber
import pytest
from exported_forms import LUOHU_2021, LUOHU_2022, form_named
from tools import require_tool

from jixiao import services
from jixiao.checks.review import review
from jixiao.writers import findings_table, form_table, write_forms


@pytest.fixture(scope="module")
def converted(tmp_path_factory, shenzhen, national):
    """The exported forms and a blank template, converted to PDF by LibreOffice in one run."""
    soffice = require_tool("soffice")
    directory = tmp_path_factory.mktemp("libreoffice")
    sources = []
    for form, profile in ((form_named(LUOHU_2021, "干部健康管理"), shenzhen), (form_named(LUOHU_2022, "干部健康管理"), national)):
        for to in ("xlsx", "docx"):
            path = directory / f"{form.source.layout}-{to}.{to}"
            write_forms(path, to, [form_table(form)], findings_table([review(form, profile)]))
            sources.append(path)
    sources.append(services.write_template("form-2022", "xlsx", directory / "template-xlsx.xlsx"))
    sources.append(services.write_template("form-2021", "docx", directory / "template-docx.docx"))
    completed = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{directory / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(directory / "pdf"),
            *map(str, sources),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    return {source.stem: directory / "pdf" / f"{source.stem}.pdf" for source in sources}


@pytest.mark.parametrize(
    "name", ["form-2021-xlsx", "form-2021-docx", "form-2022-xlsx", "form-2022-docx", "template-xlsx", "template-docx"]
)
def test_libreoffice_converts_the_exported_file_to_a_pdf_showing_the_form(converted, name):
    path = converted[name]
    assert path.exists(), f"LibreOffice wrote no PDF for {name}"
    with pdfplumber.open(path) as pdf:
        first = pdf.pages[0]
        assert first.width > first.height  # landscape
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    assert "项目支出绩效自评表" in text and "年度资金总额" in text
    if not name.startswith("template"):
        assert "干部健康管理" in text and "审核意见" in text
