"""The evaluator's YAML files for a report: the judgement (评价人评分) and the funds (资金文件).

Their shapes are described in docs/reports.md and validated by the domain
(`Judgement.from_mapping`, `FundsFile.from_mapping`); this module only reads the files, and
writes the judgement template that lists every scoring point to be marked.
"""

from __future__ import annotations

import os
from typing import Any

import yaml

from jixiao.domain.report_framework import Basis, Framework, Judgement, ReportInputError
from jixiao.domain.report_inputs import FundsFile
from jixiao.domain.score_formulas import num
from jixiao.readers.grid import ReadError
from jixiao.readers.limits import Limits, check_size
from jixiao.readers.text import decode_text


def read_judgement(path: str | os.PathLike[str], framework: Framework) -> Judgement:
    """The evaluator's marks; ReportInputError listing every problem, ReadError if unreadable."""
    file = os.fspath(path)
    return Judgement.from_mapping(_yaml(file), framework, file)


def read_funds(path: str | os.PathLike[str]) -> FundsFile:
    """The fund categories and amounts that replace the forms' funds blocks."""
    file = os.fspath(path)
    return FundsFile.from_mapping(_yaml(file), file)


def _yaml(file: str) -> Any:
    check_size(file, Limits.from_environment())
    try:
        with open(file, "rb") as handle:
            text = decode_text(handle.read(), file)
    except OSError as error:
        raise ReadError(file, f"无法打开文件（{error.strerror or error}）") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise ReportInputError(file, [f"第{line}行：YAML 格式错误" if line else f"YAML 格式错误：{error}"]) from None


def judgement_template(framework: Framework) -> str:
    """A judgement file to fill: every judged indicator with its points marked `met`, each
    point's text as a comment; the computed indicators listed as comments."""
    lines = [
        "# 评价人评分（jixiao report --judgement 本文件）。说明见 docs/reports.md。",
        "# 每个评分点写 met（符合）或 {met: false, reason: 扣分理由}；可加 deduct: 扣分（不超过该点分值）。",
        "# comment 为“绩效评价指标分析”中该指标的文字，achieved 为附表“完成值”。",
        "evaluator: 评价组",
        "indicators:",
    ]
    for indicator in framework.indicators:
        if indicator.basis is not Basis.JUDGEMENT:
            lines.append(f"  # {indicator.name}（{num(indicator.weight)}分）由自评表和资金数据计算；如需改定：")
            lines.append(f"  # {indicator.name}: {{score: {num(indicator.weight)}, reason: 理由}}")
            continue
        lines.append(f"  {indicator.name}:  # {indicator.level1}·{indicator.level2}，{num(indicator.weight)}分")
        lines.append("    comment: ")
        lines.append("    points:")
        for point in indicator.points:
            lines.append(f"      {point.number}: met  # {point.mark}{point.text}（{num(point.points)}分）")
    lines += [
        "# 可替换草稿中任一章节的文字（键见 docs/reports.md），例如：",
        "# sections:",
        "#   suggestions: |",
        "#     （一）……",
    ]
    return "\n".join(lines) + "\n"
