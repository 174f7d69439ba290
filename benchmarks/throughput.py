"""Throughput of parse + score + check, against a baseline measured in the same run.

The sample forms are replicated into files holding at least --forms forms. The baseline
only reads the same files and splits them into cells (lines, tabs): the least any reader
must do. jixiao's number is forms per second for read + score + review of every form,
on one core; the ratio says how many times the baseline's time the full job takes.

With --vary, every replica's numbers are perturbed, so no two forms share target and
actual texts and the parse caches cannot help: the cold-cache case.

    python benchmarks/throughput.py              # ≥ 10,000 forms
    python benchmarks/throughput.py --vary       # every form's texts distinct
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from pathlib import Path

from jixiao import services

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = [
    ROOT / "examples" / "luohu-culture-bureau-2021.txt",
    ROOT / "examples" / "luohu-district-office-2022.txt",
    ROOT / "examples" / "shenzhen-culture-bureau-2021.txt",
]
FORMS_PER_FILE = 500  # a department's yearly batch is a few hundred forms
DIGITS = re.compile(r"(?<![\d.])(\d{1,3})(?![\d.])")


def build_files(directory: Path, forms_wanted: int, vary: bool) -> tuple[list[Path], int]:
    """Write files of replicated sample forms; return the paths and the number of forms."""
    texts = [path.read_text(encoding="utf-8") for path in SAMPLES]
    per_copy = sum(text.count("项目支出绩效自评表") for text in texts)
    copies = -(-forms_wanted // per_copy)
    paths, chunk, count, copy_index = [], [], 0, 0
    for copy_index in range(copies):
        for text in texts:
            chunk.append(_perturb(text, copy_index) if vary else text)
        count += per_copy
        if count % FORMS_PER_FILE < per_copy or copy_index == copies - 1:
            path = directory / f"batch-{len(paths):04d}.txt"
            path.write_text("\n".join(chunk), encoding="utf-8")
            paths.append(path)
            chunk = []
    return paths, copies * per_copy


def _perturb(text: str, seed: int) -> str:
    """Shift small integers in a copy (targets, actuals, weights) so no text repeats across copies."""
    if seed == 0:
        return text
    return DIGITS.sub(lambda match: str(int(match.group(1)) + seed), text)


def baseline(paths: list[Path]) -> int:
    """Read and split into cells: the floor for any reader of these files."""
    cells = 0
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            cells += len(line.split("\t"))
    return cells


def timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--forms", type=int, default=10_000, help="forms to process (at least)")
    parser.add_argument("--vary", action="store_true", help="make every replica's texts distinct")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        paths, forms = build_files(Path(tmp), args.forms, args.vary)
        base_seconds, _ = timed(baseline, paths)
        parse_seconds, parsed = timed(services.parse_files, paths)
        check_seconds, run = timed(services.check_files, paths)

    assert len(parsed.forms) == forms and len(run.reviews) == forms, "every replicated form must be read"
    findings = sum(len(item.findings) for item in run.reviews)
    print(f"forms: {forms} in {len(paths)} files{' (texts varied)' if args.vary else ''}")
    print(f"baseline (read + split into cells): {base_seconds:8.3f} s  {forms / base_seconds:12,.0f} forms/s")
    print(f"jixiao parse (read + layout):        {parse_seconds:8.3f} s  {forms / parse_seconds:12,.0f} forms/s"
          f"  ratio {parse_seconds / base_seconds:6.1f}x")
    print(f"jixiao check (parse + score + check): {check_seconds:7.3f} s  {forms / check_seconds:12,.0f} forms/s"
          f"  ratio {check_seconds / base_seconds:6.1f}x  ({findings:,} findings)")
    print("target: ≥ 2,000 forms/s for check on one core")


if __name__ == "__main__":
    main()
