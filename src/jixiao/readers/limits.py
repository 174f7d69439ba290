"""Bounds on what a reader will open, so a hostile file fails fast with a clear error.

Every grid reader takes a `Limits`. The defaults suit a unit's submission (a few hundred
forms, a few MB); `JIXIAO_MAX_FILE_MB` raises or lowers the file-size limit for a site.
Office files are zip containers: `open_zip` refuses bombs (too many entries, too much
uncompressed data, an extreme compression ratio) before any XML is parsed.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass

from jixiao.readers.grid import ReadError

MB = 1 << 20


@dataclass(frozen=True, slots=True)
class Limits:
    """What a reader accepts. Sizes in bytes."""

    max_file_bytes: int = 50 * MB
    max_unzipped_bytes: int = 300 * MB  # all members of an office zip together
    max_zip_ratio: int = 200  # uncompressed ÷ compressed, per member above 1 MB
    max_zip_entries: int = 5_000
    max_pdf_pages: int = 300
    max_cells: int = 2_000_000  # rows × columns of all grids of one file

    @classmethod
    def from_environment(cls) -> Limits:
        """Defaults, with the file-size limit taken from JIXIAO_MAX_FILE_MB when set."""
        value = os.environ.get("JIXIAO_MAX_FILE_MB")
        if not value:
            return cls()
        try:
            megabytes = float(value)
        except ValueError:
            return cls()
        return cls(max_file_bytes=int(megabytes * MB)) if megabytes > 0 else cls()


def check_size(file: str, limits: Limits) -> int:
    """The file's size; ReadError when it is missing or larger than the limit."""
    try:
        size = os.path.getsize(file)
    except OSError as error:
        raise ReadError(file, f"无法打开文件（{error.strerror or error}）") from None
    if size > limits.max_file_bytes:
        raise ReadError(
            file, f"文件过大（{size / MB:.1f} MB，上限 {limits.max_file_bytes / MB:.0f} MB，可用 JIXIAO_MAX_FILE_MB 调整）"
        )
    return size


def open_zip(file: str, limits: Limits) -> zipfile.ZipFile:
    """Open an office container after checking it is not a bomb, encrypted or corrupt."""
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ReadError(file, f"文件已损坏或不完整，无法解压（{error}）") from None
    members = archive.infolist()
    if len(members) > limits.max_zip_entries:
        archive.close()
        raise ReadError(file, f"压缩包内文件过多（{len(members)} 个），疑似恶意文件")
    total = 0
    for member in members:
        if member.flag_bits & 0x1:
            archive.close()
            raise ReadError(file, "文件已加密（设有密码），请去除密码后再提交")
        total += member.file_size
        compressed = max(member.compress_size, 1)
        if member.file_size > MB and member.file_size / compressed > limits.max_zip_ratio:
            archive.close()
            raise ReadError(file, f"压缩比异常（{member.filename}），疑似压缩炸弹，已拒绝读取")
    if total > limits.max_unzipped_bytes:
        archive.close()
        raise ReadError(file, f"解压后过大（{total / MB:.0f} MB），疑似压缩炸弹，已拒绝读取")
    return archive
