"""OLE2 compound files (复合文档: .xls, .doc, and password-protected .xlsx/.docx).

A compound file is a small file system: a FAT links sectors into chains, a directory names
the streams. Sniffing needs the stream names (`Workbook` is an .xls, `EncryptedPackage` an
encrypted OOXML package, `WordDocument` a .doc), and the .xls reader needs the workbook
stream's bytes for biff.py.

The structure is checked the way calamine walks it, because calamine trusts it: a chain
that loops, a sector number past the end of the file, or a count in the header that calamine
reserves memory for made it allocate until the process aborted (measured on doctored and
fuzzed .xls files; a Rust allocation failure is not an exception). So before calamine sees
an .xls, every count it reserves by is bounded by the file's size, and every chain it walks
(the DIFAT, the directory, the mini-FAT, the mini stream and each stream) ends inside the file
without revisiting a sector.
"""

from __future__ import annotations

import mmap
import struct
from dataclasses import dataclass, field

from jixiao.readers.grid import ReadError

_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Header fields from offset 30: sector shift, mini sector shift, (6 reserved bytes), directory
# sector count, FAT sector count, first directory sector, (transaction), mini cutoff, first
# mini-FAT sector, mini-FAT sector count, first DIFAT sector, DIFAT sector count.
_HEADER = struct.Struct("<30xHH6xIII4xIIIII")
_DIFAT_CAPACITY = struct.Struct("<62xI")  # calamine reads its DIFAT capacity from bytes 62–65
_DIFAT_IN_HEADER = struct.Struct("<76x109I")
_ENTRY = struct.Struct("<64s52xIQ")  # name, start sector, size
_RESERVED = 0xFFFFFFFA  # sector numbers from here on are markers, not sectors
_DIFAT_SECTOR = 0xFFFFFFFC
_END_OF_CHAIN = 0xFFFFFFFE
_MINI_SECTOR = 64
_MINI_CUTOFF = 4096  # calamine's own test for a mini stream, whatever the header says
_SIZE_MASK = 0xFFFFFFFF  # version 3 files may leave garbage in a size's high 32 bits
_MAX_DIFAT_CAPACITY = 1 << 26
_CORRUPT = "Office 97-2003 文件结构已损坏（{}），无法读取"


@dataclass(frozen=True, slots=True)
class CompoundFile:
    """The directory's names (root excluded), and the bytes of the streams asked for."""

    names: frozenset[str]
    streams: dict[str, bytes] = field(default_factory=dict)


def inspect_compound_file(file: str, read: tuple[str, ...] = ()) -> CompoundFile:
    """The directory names and the streams named in `read`, after checking the structure
    calamine relies on; ReadError when it is corrupt."""
    try:
        with open(file, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
            return _Inspection(data, file).run(read)
    except (OSError, ValueError) as error:
        raise ReadError(file, f"无法读取文件（{error}）") from None
    except struct.error:
        raise ReadError(file, _CORRUPT.format("文件不完整")) from None


class _Inspection:
    def __init__(self, data: mmap.mmap, file: str) -> None:
        self.data = data
        self.file = file
        self.checked: set[int] = set()  # sectors known to lead to an end of chain

    def corrupt(self, why: str) -> ReadError:
        return ReadError(self.file, _CORRUPT.format(why))

    def run(self, read: tuple[str, ...]) -> CompoundFile:
        data = self.data
        if len(data) < 512 or data[:8] != _MAGIC:
            raise self.corrupt("文件头不完整")
        shift, mini_shift, directory_count, fat_count, directory_start, _, minifat_start, minifat_count, difat_start, _ = (
            _HEADER.unpack_from(data)
        )
        if shift not in (9, 12) or mini_shift != 6:
            raise self.corrupt("扇区大小无效")
        self.size = size = 1 << shift
        self.sectors = -(-(len(data) - size) // size)  # after the header sector; the last may be short
        self.ints = struct.Struct(f"<{size // 4}I")
        # Counts calamine reserves memory by: none may exceed what the file can hold.
        if (
            fat_count > self.sectors
            or (directory_count + minifat_count) * size > len(data)
            or _DIFAT_CAPACITY.unpack_from(data)[0] > _MAX_DIFAT_CAPACITY
        ):
            raise self.corrupt("文件头中的计数超出文件")
        self.fat = self.read_fat(difat_start)
        directory = self.join(_chain(directory_start, self.fat, self.sectors, set(), self.corrupt))
        entries = [_ENTRY.unpack_from(directory, offset) for offset in range(0, len(directory) - 127, 128)]
        if not entries:
            raise self.corrupt("目录为空")
        _, root_start, root_size = entries[0]
        if size == 512:
            root_size &= _SIZE_MASK
        if root_size > len(data):
            raise self.corrupt("流长度超出文件")
        mini_stream: list[int] = []
        minifat: list[int] = []
        if minifat_count:
            mini_stream = _chain(root_start, self.fat, self.sectors, set(), self.corrupt)
            for number in _chain(minifat_start, self.fat, self.sectors, set(), self.corrupt):
                minifat.extend(self.ints.unpack_from(data, self.offset(number)))
        mini_checked: set[int] = set()
        mini_sectors = -(-root_size // _MINI_SECTOR)
        names, streams = set(), {}
        for raw_name, start, stream_size in entries[1:]:
            name = raw_name.decode("utf-16-le", "replace").split("\0", 1)[0]
            if not name:
                continue
            names.add(name)
            if size == 512:
                stream_size &= _SIZE_MASK
            if stream_size > len(data):
                raise self.corrupt("流长度超出文件")
            # A stream to be read is walked in full; the others may stop at a checked tail.
            wanted = name in read and name not in streams
            if stream_size >= _MINI_CUTOFF:
                sectors = _chain(start, self.fat, self.sectors, set() if wanted else self.checked, self.corrupt)
                self.checked.update(sectors)
                if wanted:
                    streams[name] = self.join(sectors)[:stream_size]
            elif stream_size:
                if not minifat:
                    raise self.corrupt("小扇区表缺失")
                chain = _chain(start, minifat, mini_sectors, set() if wanted else mini_checked, self.corrupt)
                mini_checked.update(chain)
                if wanted:
                    streams[name] = self.mini_join(chain, mini_stream)[:stream_size]
        return CompoundFile(frozenset(names), streams)

    def offset(self, number: int) -> int:
        if number >= self.sectors:
            raise self.corrupt("扇区编号超出文件")
        return (number + 1) * self.size

    def read_fat(self, difat_start: int) -> list[int]:
        """The FAT, its sectors listed in the header and in the DIFAT chain as calamine follows it."""
        difat = list(_DIFAT_IN_HEADER.unpack_from(self.data))
        seen: set[int] = set()
        number = difat_start
        while number < _RESERVED:  # calamine follows the chain by its last entry, not by the count
            if number in seen:
                raise self.corrupt("DIFAT 链循环")
            seen.add(number)
            difat.extend(self.ints.unpack_from(self.data, self.offset(number)))
            number = difat.pop()
        fat: list[int] = []
        for number in difat:
            if number < _DIFAT_SECTOR:
                fat.extend(self.ints.unpack_from(self.data, self.offset(number)))
        return fat

    def join(self, sectors: list[int]) -> bytes:
        return b"".join(self.data[self.offset(number) : self.offset(number) + self.size] for number in sectors)

    def mini_join(self, chain: list[int], mini_stream: list[int]) -> bytes:
        """A small stream's bytes: its mini sectors, 64 bytes each, inside the mini stream."""
        per_sector = self.size // _MINI_SECTOR
        parts = []
        for number in chain:
            sector_index, part = divmod(number, per_sector)
            if sector_index >= len(mini_stream):
                raise self.corrupt("小扇区超出小流")
            start = self.offset(mini_stream[sector_index]) + part * _MINI_SECTOR
            parts.append(self.data[start : start + _MINI_SECTOR])
        return b"".join(parts)


def _chain(start: int, table: list[int], limit: int, checked: set[int], corrupt) -> list[int]:
    """The sectors of a chain up to its end (or a sector already checked); ReadError if it
    loops or leaves the file. Sectors already checked end the walk: shared tails are walked once."""
    path: list[int] = []
    visited: set[int] = set()
    number = start
    while number != _END_OF_CHAIN and number not in checked:
        if number >= limit or number >= len(table) or number in visited:
            raise corrupt("扇区链循环或越界")
        visited.add(number)
        path.append(number)
        number = table[number]
    return path
