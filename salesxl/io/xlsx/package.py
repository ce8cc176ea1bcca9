"""The zip package: open with checks, copy untouched entries byte for byte, save atomically.

Entries we do not change keep their original compressed bytes (and CRC), so
nothing we do not own can be altered by a recompression.
"""

from __future__ import annotations

import os
import shutil
import struct
import tempfile
import time
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from salesxl.core.issues import WorkbookError
from salesxl.io.lock import temp_prefix, writing
from salesxl.io.opening import check_not_locked, open_package_bytes, strict_error
from salesxl.io.package_xml import index_package

FIXED_TIME = (1980, 1, 1, 0, 0, 0)
ZIP32_LIMIT = 0xFFFFFFFF


def _err(code: str, path: Path, zh: str, en: str) -> WorkbookError:
    return WorkbookError(code, zh, en, path=str(path))


def check_workbook(path: Path, *, writing: bool = True) -> None:
    """Raise WorkbookError unless `path` is a package we may write (or, with `writing=False`, inspect):
    the reader's file checks (missing, encrypted, old .xls, not a workbook, damaged, DTD), not open in
    another program, and not Strict Open XML."""
    data = open_package_bytes(path)
    if writing:
        check_not_locked(path)
        if index_package(data).strict:
            raise strict_error(path)


@dataclass
class RawEntry:
    """An entry copied from the source zip without decompressing it."""

    info: zipfile.ZipInfo
    raw: bytes


class Package:
    """An ordered set of zip entries; each is either original raw bytes or new content."""

    def __init__(self) -> None:
        self._entries: dict[str, RawEntry | bytes] = {}
        self._lower: dict[str, str] = {}
        self._cache: dict[str, bytes] = {}

    @classmethod
    def open(cls, path: Path, *, writing: bool = True) -> "Package":
        check_workbook(path, writing=writing)
        pkg = cls()
        try:
            with open(path, "rb") as fh, zipfile.ZipFile(fh) as zf:
                for info in zf.infolist():
                    fh.seek(info.header_offset)
                    header = fh.read(30)
                    if header[:4] != b"PK\x03\x04":
                        raise zipfile.BadZipFile(f"bad local header for {info.filename}")
                    name_len, extra_len = struct.unpack("<HH", header[26:30])
                    fh.seek(info.header_offset + 30 + name_len + extra_len)
                    raw = fh.read(info.compress_size)
                    if len(raw) != info.compress_size:
                        raise zipfile.BadZipFile(f"{info.filename} is truncated")
                    pkg._put(info.filename, RawEntry(info, raw))
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise _err("FILE_DAMAGED", path, f"文件 {path.name} 已损坏，无法读取（{exc}）。",
                       f"{path.name} is damaged and cannot be read ({exc}).") from None
        return pkg

    def _put(self, name: str, entry: RawEntry | bytes) -> None:
        actual = self._lower.setdefault(_key(name), name)
        self._entries[actual] = entry
        self._cache.pop(actual, None)

    def names(self) -> list[str]:
        """Part names with "/" separators (directory entries are kept in the zip but are not parts)."""
        return [name.replace("\\", "/") for name in self._entries if not name.endswith(("/", "\\"))]

    def actual(self, name: str) -> str | None:
        """The stored spelling of a part name (part names are case-insensitive)."""
        return self._lower.get(_key(name))

    def __contains__(self, name: str) -> bool:
        return _key(name) in self._lower

    def read(self, name: str) -> bytes:
        actual = self._lower[_key(name)]
        entry = self._entries[actual]
        if isinstance(entry, bytes):
            return entry
        if actual not in self._cache:
            self._cache[actual] = _decompress(entry)
        return self._cache[actual]

    def read_head(self, name: str, enough: Callable[[bytes], bool], step: int = 1 << 16) -> bytes:
        """The start of a part, inflated only until `enough(start)` holds (at worst all of it, CRC-checked):
        one cell near the top of a large sheet does not need the whole sheet decompressed."""
        actual = self._lower[_key(name)]
        entry = self._entries[actual]
        if isinstance(entry, bytes) or actual in self._cache or entry.info.compress_type != zipfile.ZIP_DEFLATED:
            return self.read(actual)
        inflater, head = zlib.decompressobj(-15), bytearray()
        for start in range(0, len(entry.raw), step):
            head += inflater.decompress(entry.raw[start:start + step])
            if enough(head):
                return bytes(head)
        return self.read(actual)

    def write(self, name: str, data: bytes) -> None:
        """Set a part's content; an unchanged part keeps its original entry."""
        actual = self.actual(name)
        if actual is not None and self.read(actual) == data:
            return
        self._put(actual or name, data)

    def delete(self, name: str) -> None:
        actual = self._lower.pop(_key(name), None)
        if actual is not None:
            del self._entries[actual]
            self._cache.pop(actual, None)

    def to_bytes(self) -> bytes:
        out = bytearray()
        central = bytearray()
        for name, entry in self._entries.items():
            if isinstance(entry, RawEntry):
                info, raw = entry.info, entry.raw
                method, crc, usize = info.compress_type, info.CRC, info.file_size
                flags = info.flag_bits & ~0x08
                date_time, version = info.date_time, max(info.extract_version, 20)
                ext_attr, comment = info.external_attr, info.comment
                encoded = name.encode("utf-8" if flags & 0x800 else "cp437")
            else:
                comp = zlib.compressobj(6, zlib.DEFLATED, -15)
                raw = comp.compress(entry) + comp.flush()
                method, crc, usize = zipfile.ZIP_DEFLATED, zlib.crc32(entry), len(entry)
                date_time, version, ext_attr, comment = FIXED_TIME, 20, 0o600 << 16, b""
                try:
                    encoded, flags = name.encode("ascii"), 0
                except UnicodeEncodeError:
                    encoded, flags = name.encode("utf-8"), 0x800
            offset = len(out)
            if max(offset, len(raw), usize) >= ZIP32_LIMIT:
                raise WorkbookError("FILE_UNSUPPORTED", "工作簿超过 4 GB，无法写入。",
                                    "The workbook is larger than 4 GB and cannot be written.")
            y, mo, d, h, mi, s = date_time
            dos_time, dos_date = (h << 11) | (mi << 5) | (s // 2), ((y - 1980) << 9) | (mo << 5) | d
            common = struct.pack("<HHHHHIII", version, flags, method, dos_time, dos_date,
                                 crc & 0xFFFFFFFF, len(raw), usize)
            out += b"PK\x03\x04" + common + struct.pack("<HH", len(encoded), 0) + encoded + raw
            central += (b"PK\x01\x02" + struct.pack("<H", 20) + common
                        + struct.pack("<HHHHHII", len(encoded), 0, len(comment), 0, 0, ext_attr, offset)
                        + encoded + comment)
        count = len(self._entries)
        end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count, count, len(central), len(out), 0)
        return bytes(out + central + end)

    def save(self, target: Path, *, backup: bool) -> Path | None:
        """Replace `target` atomically with this package (see `replace_file`)."""
        return replace_file(target, self.to_bytes(), backup=backup)


def replace_file(target: Path, data: bytes, *, backup: bool) -> Path | None:
    """Replace `target` with `data` atomically under the write lock; keep the previous file as
    <stem>.bak<suffix> (returned).

    A kill at any moment leaves the previous file or the complete new one: the new bytes go to a
    temporary file beside the target (synced), the backup is swapped in whole, and one rename
    replaces the target. A temporary file a killed writer left is removed by the next lock holder."""
    target = Path(target)
    with writing(target):
        kept = None
        tmp = _temp_beside(target)
        try:
            _write_synced(tmp, data)
            os.chmod(tmp, _file_mode(target))
            if backup and target.exists():
                kept = target.with_name(target.stem + ".bak" + target.suffix)
                _backup(target, kept)
            os.replace(tmp, target)
            _sync_folder(target.parent)
        except PermissionError:
            tmp.unlink(missing_ok=True)
            raise _err("FILE_LOCKED", target, f"无法写入 {target.name}：文件被占用或没有写权限，请关闭后再试。",
                       f"Cannot write {target.name}: it is in use or read-only; close it and try again.") from None
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    return kept


def _temp_beside(target: Path) -> Path:
    fd, name = tempfile.mkstemp(prefix=temp_prefix(target), suffix=".tmp", dir=target.parent)
    os.close(fd)
    return Path(name)


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as fh:
        if os.environ.get("SALESXL_TEST_SAVE_PAUSE"):  # the kill test stops a writer inside its save
            half = len(data) // 2
            fh.write(data[:half])
            fh.flush()
            time.sleep(float(os.environ["SALESXL_TEST_SAVE_PAUSE"]))
            fh.write(data[half:])
        else:
            fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _backup(target: Path, kept: Path) -> None:
    """Put the previous file at `kept` in one rename (a hard link when possible, else a synced copy)."""
    tmp = _temp_beside(target)
    try:
        tmp.unlink()
        try:
            os.link(target, tmp)
        except OSError:
            shutil.copy2(target, tmp)
        os.replace(tmp, kept)
    finally:
        tmp.unlink(missing_ok=True)


def _sync_folder(folder: Path) -> None:
    """Make the rename durable (POSIX; Windows has no directory handles to sync)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _key(name: str) -> str:
    """Part names are case-insensitive, and some zips Excel opens separate folders with backslashes."""
    return name.replace("\\", "/").lower()


def _file_mode(target: Path) -> int:
    """Keep the replaced file's permissions; a new file gets the usual ones (mkstemp's are 0600)."""
    if target.exists():
        return target.stat().st_mode & 0o7777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _decompress(entry: RawEntry) -> bytes:
    method = entry.info.compress_type
    if method == zipfile.ZIP_STORED:
        data = entry.raw
    elif method == zipfile.ZIP_DEFLATED:
        data = zlib.decompress(entry.raw, -15)
    else:
        raise WorkbookError("FILE_UNSUPPORTED", f"不支持的压缩方式：{entry.info.filename}",
                            f"Unsupported compression in {entry.info.filename}")
    if zlib.crc32(data) != entry.info.CRC:
        raise WorkbookError("FILE_DAMAGED", f"文件已损坏：{entry.info.filename} 校验失败。",
                            f"The workbook is damaged: {entry.info.filename} fails its checksum.")
    return data
