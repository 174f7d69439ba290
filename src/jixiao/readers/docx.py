"""Word (.docx) tables as grids — pending (helper task "docx")."""

from __future__ import annotations

from jixiao.readers.grid import Grid, ReadError
from jixiao.readers.limits import Limits


def read_docx(file: str, limits: Limits) -> list[Grid]:
    raise ReadError(file, "暂不支持 .docx 文件")
