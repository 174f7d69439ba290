"""PDF text-layer tables as grids — pending (helper task "pdf")."""

from __future__ import annotations

from jixiao.readers.grid import Grid, ReadError
from jixiao.readers.limits import Limits


def read_pdf(file: str, limits: Limits) -> list[Grid]:
    raise ReadError(file, "暂不支持 PDF 文件")
