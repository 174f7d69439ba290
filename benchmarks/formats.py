"""Reading office files: jixiao's `read_file` against the underlying library's raw read.

For each format, the writers put 50 sample forms (the 33 self-evaluation forms of the three
samples, cycled) into one file: a workbook of 50 sheets, a document of 50 tables, a PDF of
one form after another. Then, in the same run and on the same file:

- raw: the least the library must do to hand over the cells —
  xlsx: python-calamine opens the workbook and reads every sheet's values (`to_python()`)
        and merged ranges;
  docx: lxml parses word/document.xml and collects every cell's text (python-docx's
        `Document()` and `cell.text`, the object layer, is shown for comparison);
  pdf:  pdfplumber opens the file and runs `extract_tables()` on every page;
- jixiao: `readers.read_file`: the raw read plus spans, number formats, the safety checks
  of limits.py and the layout readers, up to the 50 forms. For xlsx and docx, the line
  below it times `readers.read_grids` alone (file → grids, before the layout readers).

Each time is the best of --repeat runs. Targets: ≤ 1.3× the raw read for xlsx and docx,
≤ 1.2× for PDF.

    python benchmarks/formats.py                # all three formats
    python benchmarks/formats.py --only xlsx    # one format
"""

from __future__ import annotations

import argparse
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pdfplumber
from lxml import etree
from python_calamine import CalamineWorkbook

from jixiao.readers import read_file, read_grids
from jixiao.writers import FORMATS, form_table, write_forms

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = [
    ROOT / "examples" / "luohu-culture-bureau-2021.txt",
    ROOT / "examples" / "luohu-district-office-2022.txt",
    ROOT / "examples" / "shenzhen-culture-bureau-2021.txt",
]
FORMS = 50
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def build_file(directory: Path, to: str) -> tuple[Path, float]:
    """A file of FORMS sample forms in format `to`, and the seconds the writer took."""
    forms = [form for path in SAMPLES for form in read_file(path).forms]
    chosen = [forms[index % len(forms)] for index in range(FORMS)]
    path = directory / f"forms.{to}"
    started = time.perf_counter()
    write_forms(path, to, [form_table(form) for form in chosen])
    return path, time.perf_counter() - started


def raw_xlsx(path: Path) -> int:
    cells = 0
    with CalamineWorkbook.from_path(str(path)) as workbook:
        for name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(name)
            cells += len(sheet.to_python()) + len(sheet.merged_cell_ranges or ())
    return cells


def raw_docx(path: Path) -> int:
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    return sum(1 for cell in root.iter(_W + "tc") if "".join(cell.itertext()) is not None)


def python_docx(path: Path) -> int:
    return sum(1 for table in docx.Document(str(path)).tables for row in table.rows for cell in row.cells if cell.text is not None)


def raw_pdf(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        return sum(len(page.extract_tables()) for page in pdf.pages)


def jixiao_read(path: Path) -> int:
    return len(read_file(path).forms)


def jixiao_grids(path: Path) -> int:
    return len(read_grids(path))


RAW: dict[str, list[tuple[str, Callable[[Path], int]]]] = {
    "xlsx": [("calamine values + merges, every sheet", raw_xlsx)],
    "docx": [("lxml parse + every cell's text", raw_docx), ("python-docx Document + cell.text", python_docx)],
    "pdf": [("pdfplumber extract_tables, every page", raw_pdf)],
}
TARGET = {"xlsx": 1.3, "docx": 1.3, "pdf": 1.2}


def best(function: Callable[[Path], int], path: Path, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function(path)
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=FORMATS, help="measure one format")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement; the best counts (default 5)")
    args = parser.parse_args()
    formats = [args.only] if args.only else list(FORMATS)

    with tempfile.TemporaryDirectory() as tmp:
        for to in formats:
            path, written = build_file(Path(tmp), to)
            result = read_file(path)
            repeat = max(1, args.repeat // 2) if to == "pdf" else args.repeat  # a PDF run takes seconds
            ours = best(jixiao_read, path, repeat)
            print(f"{to}: {FORMS} forms, {path.stat().st_size / 1024:,.0f} KB (written in {written:.2f} s);"
                  f" read back {len(result.forms)} forms, {len(result.errors)} read errors")
            raws = []
            for label, function in RAW[to]:
                raws.append(best(function, path, repeat))
                print(f"  raw   {label:<40} {raws[-1] * 1000:9.1f} ms")
            ratio = ours / raws[0]  # against the leanest raw read, listed first
            verdict = "ok" if ratio <= TARGET[to] else "over target"
            print(f"  jixiao read_file{'':<29} {ours * 1000:9.1f} ms   ratio {ratio:4.2f}x  (target ≤ {TARGET[to]}x: {verdict})")
            if to != "pdf":  # best of two PDF runs is too noisy to split a read in two
                grids = best(jixiao_grids, path, repeat)
                print(f"    of which read_grids (before layouts){'':<8} {grids * 1000:9.1f} ms   ratio {grids / raws[0]:4.2f}x")


if __name__ == "__main__":
    main()
