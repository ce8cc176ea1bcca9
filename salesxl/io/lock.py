"""One salesxl writer per workbook: a lock file beside it, taken by every command that writes.

`writing(path)` holds `.<name>.salesxl.lock` (pid, host, time) for the whole
read-compute-write of a command, so a second salesxl writing the same workbook
is refused instead of silently overwriting the first one's result. The lock is
re-entrant within one thread (the save inside a command takes it again) and is
removed on exit, error included. A lock left by a process that died (a dead pid
on this host, or older than `STALE_AFTER`) is taken over, and the temporary
files such a process left beside the workbook are removed then.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from salesxl.core.issues import WorkbookError

STALE_AFTER = 6 * 3600.0  # seconds; no salesxl command runs this long on one workbook
LOCK_SUFFIX = ".salesxl.lock"
TEMP_MARK = ".salesxl-"  # temporary files of a save: .<name>.salesxl-<random>.tmp

_held: dict[tuple[str, int], int] = {}
_guard = threading.Lock()


def lock_path(path: Path | str) -> Path:
    path = Path(path)
    return path.with_name("." + path.name + LOCK_SUFFIX)


def temp_prefix(path: Path | str) -> str:
    """The name prefix of the temporary files a save of `path` writes beside it."""
    return "." + Path(path).name + TEMP_MARK


@contextmanager
def writing(path: Path | str) -> Iterator[None]:
    """Hold the salesxl write lock of the workbook at `path` for the block."""
    path = Path(path)
    key = (str(path.resolve()), threading.get_ident())
    with _guard:
        depth = _held.get(key, 0)
        _held[key] = depth + 1
    try:
        if depth == 0:
            _acquire(path)
        try:
            yield
        finally:
            if depth == 0:
                _release(path)
    finally:
        with _guard:
            if _held[key] == 1:
                del _held[key]
            else:
                _held[key] -= 1


def _acquire(path: Path) -> None:
    lock = lock_path(path)
    mine = json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "time": time.time()}).encode()
    for _ in range(5):
        try:
            _create(lock, mine)
        except FileExistsError:
            held = _read(lock)
            if held is not None and not _stale(held, lock):
                raise _busy(path, held) from None
            _break(lock, held)
            continue
        except PermissionError:
            raise WorkbookError(
                "FILE_LOCKED", f"无法写入 {path.name}：所在文件夹没有写权限。",
                f"Cannot write {path.name}: its folder is read-only.", path=str(path)) from None
        _remove_strays(path)
        return
    raise _busy(path, _read(lock) or {})


def _create(lock: Path, content: bytes) -> None:
    """Create the lock with its whole content at once (a kill never leaves a lock without an owner)."""
    draft = lock.with_name(f"{lock.name}.{os.getpid()}.{threading.get_ident()}")
    draft.write_bytes(content)
    try:
        os.link(draft, lock)  # fails with FileExistsError when another writer holds the lock
    except (AttributeError, NotImplementedError, OSError) as exc:
        if isinstance(exc, FileExistsError):
            raise
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)  # file systems without hard links
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
    finally:
        draft.unlink(missing_ok=True)


def _read(lock: Path) -> dict | None:
    """The owner recorded in a lock, or None when it is gone or unreadable."""
    try:
        held = json.loads(lock.read_bytes().decode("utf-8"))
    except (OSError, ValueError):
        return None
    return held if isinstance(held, dict) else None


def _stale(held: dict, lock: Path) -> bool:
    """True when the lock's owner is certainly gone: a dead pid on this host, or an old lock."""
    try:
        age = time.time() - float(held.get("time", 0))
    except (TypeError, ValueError):
        age = STALE_AFTER + 1
    if age > STALE_AFTER:
        return True
    if held.get("host") != socket.gethostname():
        return False  # another machine on a shared drive: only age tells
    try:
        pid = int(held.get("pid", -1))
    except (TypeError, ValueError):
        return True
    return not _alive(pid)


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True  # another thread of this process holds it
    if os.name == "nt":
        return _alive_windows(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    except OSError:
        return False
    return True


def _alive_windows(pid: int) -> bool:
    """On Windows `os.kill(pid, 0)` would send Ctrl+C, so ask the kernel for the process's exit code."""
    import ctypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return ctypes.get_last_error() == 5  # access denied: the process exists
    try:
        code = ctypes.c_ulong()
        return bool(kernel32.GetExitCodeProcess(handle, ctypes.byref(code))) and code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def _break(lock: Path, held: dict | None) -> None:
    """Move a stale (or unreadable) lock aside; put it back if it turned out to be a fresh one."""
    aside = lock.with_name(f"{lock.name}.{os.getpid()}.stale")
    try:
        os.replace(lock, aside)
    except FileNotFoundError:
        return  # the owner finished or another writer broke it first
    if held is not None and _read(aside) != held:
        try:
            os.link(aside, lock)  # a writer took the lock meanwhile: give it back
        except OSError:
            pass
    aside.unlink(missing_ok=True)


def _release(path: Path) -> None:
    lock = lock_path(path)
    held = _read(lock)
    if held is not None and held.get("pid") == os.getpid() and held.get("host") == socket.gethostname():
        lock.unlink(missing_ok=True)


def _remove_strays(path: Path) -> None:
    """Temporary files and lock drafts a killed writer left beside the workbook (we hold the lock now)."""
    folder = path.parent
    prefix, lock_name = temp_prefix(path), lock_path(path).name + "."
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if name.startswith(prefix) or (name.startswith(lock_name) and not _draft_alive(name[len(lock_name):])):
            (folder / name).unlink(missing_ok=True)


def _draft_alive(tail: str) -> bool:
    """A lock draft `<pid>.<thread>` belongs to a live process of this host."""
    pid = tail.split(".", 1)[0]
    return pid.isdigit() and _alive(int(pid))


def _busy(path: Path, held: dict) -> WorkbookError:
    when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(float(held.get("time", 0) or 0)))
    owner_zh = f"进程 {held.get('pid', '?')}，计算机 {held.get('host', '?')}，开始于 {when}"
    owner_en = f"process {held.get('pid', '?')} on {held.get('host', '?')}, started {when}"
    return WorkbookError(
        "FILE_BUSY",
        f"另一个 salesxl 正在写入 {path.name}（{owner_zh}）。请等它完成后再试；"
        f"如果它已不在运行，删除 {lock_path(path).name} 即可。",
        f"Another salesxl is writing {path.name} ({owner_en}); wait for it to finish and try again. "
        f"If it is no longer running, delete {lock_path(path).name}.",
        path=str(path))
