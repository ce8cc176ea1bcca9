"""File safety: hostile XML is refused, odd but real packages open, writers never collide or leave a partial file."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salesxl.core.issues import WorkbookError
from salesxl.core.sheetspec import Block, ColumnSpec, SheetSpec
from salesxl.files import new_template, recalc_file
from salesxl.io.lock import lock_path, temp_prefix, writing
from salesxl.io.reader import read_book
from salesxl.io.xlsx import write_sheets

from support import FIXTURES

SMALL = FIXTURES / "51850.xlsx"  # Excel-made, with sharedStrings.xml, comments and drawings
BOMB = (b'<!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>')


def rezip(data: bytes, change=lambda name, body: body, *, names=lambda name: name, dirs: bool = False) -> bytes:
    """The package `data` rebuilt: each part through `change`, renamed by `names`, with directory entries if asked."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        written: set[str] = set()
        for info in source.infolist():
            if dirs and "/" in info.filename:
                folder = ""
                for piece in info.filename.split("/")[:-1]:
                    folder += piece + "/"
                    if folder not in written:
                        written.add(folder)
                        target.writestr(zipfile.ZipInfo(folder), b"")
            target.writestr(names(info.filename), change(info.filename, source.read(info)))
    return out.getvalue()


def with_dtd(data: bytes, part: str, prolog: bytes = BOMB, *, bom: bytes = b"") -> bytes:
    """`part` of the package with a DTD inserted after its XML declaration (and an entity used in sst)."""

    def change(name: str, body: bytes) -> bytes:
        if name != part:
            return body
        declaration = re.match(rb"\s*<\?xml[^>]*\?>\s*", body)
        head, rest = (body[: declaration.end()], body[declaration.end():]) if declaration else (b"", body)
        if part.endswith("sharedStrings.xml"):
            rest = rest.replace(b"<t>Foo</t>", b"<t>&c;</t>")
        return bom + head + prolog + rest

    return rezip(data, change)


def report_sheet() -> SheetSpec:
    return SheetSpec("report", "报表", [Block([ColumnSpec("a"), ColumnSpec("b", "int")], [["x", 1]])],
                     header_line="由 salesxl 生成 — 请勿编辑")


@pytest.fixture(scope="session")
def template(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("template") / "office.xlsx"
    new_template(path, "zh")
    return path.read_bytes()


# ---- 1. no DTD, no entities -------------------------------------------------------------------------------------

def test_dtd_in_shared_strings_is_refused_on_read_and_write(tmp_path: Path):
    book = tmp_path / "bomb.xlsx"
    book.write_bytes(with_dtd(SMALL.read_bytes(), "xl/sharedStrings.xml"))
    before = book.read_bytes()
    with pytest.raises(WorkbookError) as read:
        read_book(book)
    assert read.value.code == "FILE_XML_DTD"
    assert "xl/sharedStrings.xml" in read.value.zh and "xl/sharedStrings.xml" in read.value.en
    assert "DTD" in read.value.zh and "DTD" in read.value.en
    with pytest.raises(WorkbookError) as write:
        write_sheets(book, [report_sheet()])
    assert write.value.code == "FILE_XML_DTD"
    report = recalc_file(book)
    assert not report.ok and "xl/sharedStrings.xml" in report.message
    assert book.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bomb.xlsx"]  # no backup, no temporary file


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(part=st.sampled_from(["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                             "xl/styles.xml", "xl/worksheets/sheet1.xml", "xl/tables/table_sxl_3.xml",
                             "docProps/core.xml"]),
       prolog=st.sampled_from([BOMB, b'<!DOCTYPE x SYSTEM "http://example.invalid/x.dtd">',
                               b'<!-- a note --><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
                               b"\n<!ENTITY e 'x'>"]),
       bom=st.sampled_from([b"", b"\xef\xbb\xbf"]))
def test_any_part_with_a_dtd_is_refused_before_any_parser(template: bytes, tmp_path: Path, part, prolog, bom):
    book = tmp_path / "office.xlsx"
    book.write_bytes(with_dtd(template, part, prolog, bom=bom))
    before = book.read_bytes()
    for attempt in (lambda: read_book(book), lambda: write_sheets(book, [report_sheet()])):
        with pytest.raises(WorkbookError) as error:
            attempt()
        assert error.value.code == "FILE_XML_DTD" and part in error.value.en
    assert book.read_bytes() == before


def test_a_utf16_part_with_a_dtd_is_refused(template: bytes, tmp_path: Path):
    def change(name: str, body: bytes) -> bytes:
        if name != "docProps/core.xml":
            return body
        text = body.decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
        text = text.replace("?>", '?><!DOCTYPE x [<!ENTITY e "x">]>', 1)
        return text.encode("utf-16")

    book = tmp_path / "office.xlsx"
    book.write_bytes(rezip(template, change))
    with pytest.raises(WorkbookError) as error:
        read_book(book)
    assert error.value.code == "FILE_XML_DTD"


def test_comments_and_declarations_alone_are_not_a_dtd(template: bytes, tmp_path: Path):
    book = tmp_path / "office.xlsx"
    book.write_bytes(with_dtd(template, "xl/styles.xml", b"<!-- <!DOCTYPE in a comment is harmless --><?pi x?>"))
    assert read_book(book).table("customers").present
    assert write_sheets(book, [report_sheet()]).added == ["报表"]


# ---- 2. every package Excel and LibreOffice open --------------------------------------------------------------

STRICT = [(b"http://schemas.openxmlformats.org/spreadsheetml/2006/main", b"http://purl.oclc.org/ooxml/spreadsheetml/main"),
          (b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
           b"http://purl.oclc.org/ooxml/officeDocument/relationships")]
WIRING = ("[Content_Types].xml", "workbook.xml", "workbook.xml.rels", "styles.xml")


def to_strict(name: str, body: bytes) -> bytes:
    if name.endswith((".xml", ".rels")):
        for transitional, strict in STRICT:
            body = body.replace(transitional, strict)
    return body


def raw_entries(path: Path) -> dict[str, tuple[int, bytes]]:
    """Each zip entry's CRC and compressed bytes, as stored."""
    out = {}
    with open(path, "rb") as fh, zipfile.ZipFile(fh) as package:
        for info in package.infolist():
            fh.seek(info.header_offset + 26)
            skip = int.from_bytes(fh.read(2), "little") + int.from_bytes(fh.read(2), "little")
            fh.seek(info.header_offset + 30 + skip)
            out[info.filename] = (info.CRC, fh.read(info.compress_size))
    return out


def assert_written_losslessly(original: Path, written: Path) -> None:
    """Every entry salesxl does not own (directory entries included) is stored byte for byte as before."""
    before, after = raw_entries(original), raw_entries(written)
    kept = [name for name in before if not name.replace("\\", "/").endswith(WIRING)]
    assert kept and all(after.get(name) == before[name] for name in kept)


def input_tables(path: Path) -> dict:
    book = read_book(path)
    return {key: book.frame(key).drop(columns="_row", errors="ignore").to_dict("list") for key in book.tables}


@pytest.mark.parametrize("odd", ["directory entries", "backslash separators"])
def test_zips_excel_opens_are_read_and_written_intact(template: bytes, tmp_path: Path, odd: str):
    plain = tmp_path / "plain.xlsx"
    plain.write_bytes(template)
    book = tmp_path / "office.xlsx"
    if odd == "directory entries":
        book.write_bytes(rezip(template, dirs=True))
    else:
        book.write_bytes(rezip(template, names=lambda n: n if n in ("[Content_Types].xml", "_rels/.rels")
                               else n.replace("/", "\\")))
    original = tmp_path / "original.xlsx"
    shutil.copy(book, original)
    assert input_tables(book) == input_tables(plain)
    report = recalc_file(book)
    assert report.ok, report.message
    assert_written_losslessly(original, book)
    assert "校验结果" in read_book(book).sheet_names and input_tables(book) == input_tables(plain)
    assert recalc_file(book).ok  # and again, over its own sheets


def test_excel_file_with_macro_sheets_calamine_cannot_detect(tmp_path: Path):
    """tdf111974.xlsm (Excel-made) lists two XLM macro sheets with an empty relationship id."""
    book = tmp_path / "tdf111974.xlsm"
    shutil.copy(FIXTURES / "tdf111974.xlsm", book)
    read = read_book(book)
    assert {"OP PLAN", "OP LTR"} <= set(read.sheet_names) and "Module1" not in read.sheet_names
    report = recalc_file(book)
    assert report.ok, report.message
    assert_written_losslessly(FIXTURES / "tdf111974.xlsm", book)
    with zipfile.ZipFile(book) as package:
        workbook = package.read("xl/workbook.xml").decode()
    assert 'name="Module1" sheetId="9" state="veryHidden" r:id=""' in workbook  # the macro sheets stay listed
    assert "Validation" in read_book(book).sheet_names


def test_every_excel_made_fixture_reads(tmp_path: Path):
    for fixture in sorted(FIXTURES.glob("*.xls*")):
        assert read_book(fixture).sheet_names, fixture.name


def test_strict_workbook_is_read_checked_and_never_written(template: bytes, tmp_path: Path):
    plain = tmp_path / "plain.xlsx"
    plain.write_bytes(template)
    book = tmp_path / "strict.xlsx"
    book.write_bytes(rezip(template, to_strict))
    before = book.read_bytes()
    assert input_tables(book) == input_tables(plain)
    checked = recalc_file(book, write=False)  # recalc --check: every pass, nothing written
    assert checked.ok, checked.message
    assert checked.codes == recalc_file(plain, write=False).codes
    for attempt in (lambda: recalc_file(book), lambda: write_sheets(book, [report_sheet()])):
        try:
            outcome = attempt()
        except WorkbookError as error:
            message = error.message()
        else:
            assert not outcome.ok
            message = outcome.message
        assert "Strict Open XML" in message and "严格 Open XML" in message and "untouched" in message
    assert book.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plain.xlsx", "strict.xlsx"]


# ---- 3. one salesxl writer per workbook ---------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]


def salesxl(*args: str, pause: float | None = None) -> subprocess.Popen:
    """A real salesxl process running this checkout's code."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("SALESXL_TEST_SAVE_PAUSE", None)
    if pause is not None:
        env["SALESXL_TEST_SAVE_PAUSE"] = str(pause)
    return subprocess.Popen([sys.executable, "-m", "salesxl.cli", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def wait_for(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.mark.slow
def test_a_second_writer_is_refused_while_the_first_runs(template: bytes, tmp_path: Path):
    book = tmp_path / "office.xlsx"
    book.write_bytes(template)
    lock = lock_path(book)
    first = salesxl("recalc", str(book), pause=4)
    wait_for(lock.exists)
    held = json.loads(lock.read_text())
    assert held["pid"] == first.pid and held["host"] == socket.gethostname()
    second = salesxl("recalc", str(book))
    out, _ = second.communicate(timeout=60)
    assert second.returncode != 0
    assert "另一个 salesxl 正在写入" in out and str(first.pid) in out
    assert first.poll() is None  # the refusal came while the first one was still writing
    first_out, _ = first.communicate(timeout=60)
    assert first.returncode == 0, first_out
    assert not lock.exists()
    assert "校验结果" in read_book(book).sheet_names
    assert sorted(p.name for p in tmp_path.iterdir()) == ["office.bak.xlsx", "office.xlsx"]
    again = salesxl("recalc", str(book))
    assert again.wait(timeout=60) == 0, again.communicate()[0]


def test_the_lock_is_removed_after_an_error(template: bytes, tmp_path: Path):
    book = tmp_path / "office.xlsx"
    book.write_bytes(template)
    mine = SheetSpec("report", "设置", [Block([ColumnSpec("a")], [["x"]])])  # the user's Settings sheet
    with pytest.raises(WorkbookError):
        write_sheets(book, [mine])
    assert not lock_path(book).exists()
    with writing(book):
        assert lock_path(book).exists()
        with writing(book):  # re-entrant: the save inside a command takes it again
            assert write_sheets(book, [report_sheet()]).added == ["报表"]
        assert lock_path(book).exists()
    assert not lock_path(book).exists()


@pytest.mark.parametrize("owner, taken_over", [
    ("dead pid on this host", True), ("old lock from another computer", True),
    ("fresh lock from another computer", False), ("unreadable lock", True),
])
def test_stale_locks_are_taken_over(template: bytes, tmp_path: Path, owner: str, taken_over: bool):
    book = tmp_path / "office.xlsx"
    book.write_bytes(template)
    held = {"dead pid on this host": {"pid": dead_pid(), "host": socket.gethostname(), "time": time.time()},
            "old lock from another computer": {"pid": 1, "host": "elsewhere", "time": time.time() - 7 * 86400},
            "fresh lock from another computer": {"pid": 1, "host": "elsewhere", "time": time.time()},
            "unreadable lock": None}[owner]
    lock_path(book).write_text(json.dumps(held) if held else "\x00garbage")
    stray = tmp_path / (temp_prefix(book) + "abc123.tmp")  # what a killed save leaves behind
    stray.write_bytes(b"PK partial")
    before = book.read_bytes()
    report = recalc_file(book)
    if taken_over:
        assert report.ok, report.message
        assert not lock_path(book).exists() and not stray.exists()
    else:
        assert not report.ok and "elsewhere" in report.message and "Another salesxl" in report.message
        assert book.read_bytes() == before and lock_path(book).exists()


# ---- 4. kill -9 at any moment --------------------------------------------------------------------------------

RECALC = ("import datetime as dt, sys; from pathlib import Path; from salesxl.files import recalc_file; "
          "sys.exit(0 if recalc_file(Path(sys.argv[1]), now=dt.datetime(2026, 11, 2, 9)).ok else 1)")
RUN_LOG_PART = "xl/worksheets/sheet_sxl_run_log.xml"  # the only part that differs between two runs


def recalc_process(book: Path, pause: float | None = None) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("SALESXL_TEST_SAVE_PAUSE", None)
    if pause is not None:
        env["SALESXL_TEST_SAVE_PAUSE"] = str(pause)
    return subprocess.Popen([sys.executable, "-c", RECALC, str(book)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def complete_parts(data: bytes) -> dict[str, bytes]:
    """The parts of a complete, undamaged package (every entry's CRC checked), else an AssertionError."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert package.testzip() is None
        return {info.filename: package.read(info) for info in package.infolist()}


def is_complete_result(data: bytes, reference: dict[str, bytes]) -> bool:
    parts = complete_parts(data)
    return parts.keys() == reference.keys() and all(parts[n] == reference[n] for n in parts if n != RUN_LOG_PART)


@pytest.mark.slow
def test_a_writer_killed_at_any_moment_leaves_the_old_or_the_complete_new_file(template: bytes, tmp_path: Path):
    book = tmp_path / "office.xlsx"
    book.write_bytes(template)
    started = time.monotonic()
    assert recalc_process(book).wait(timeout=120) == 0  # the state every later run starts from
    run = time.monotonic() - started
    first = book.read_bytes()
    assert recalc_process(book).wait(timeout=120) == 0
    reference = complete_parts(book.read_bytes())
    book.write_bytes(first)
    # 10 kills spread over a run and past its end, and 4 inside the save (the writer pauses halfway through
    # writing its temporary file)
    plan = [(run * share, None) for share in (0.15, 0.3, 0.45, 0.6, 0.7, 0.8, 0.9, 1.0, 1.5, 3.0)] + \
        [(delay, 1.0) for delay in (0.0, 0.3, 0.6, 0.9)]
    outcomes = []
    for delay, pause in plan:
        old = book.read_bytes()
        child = recalc_process(book, pause)
        if pause is not None:
            wait_for(lambda: any(p.name.startswith(temp_prefix(book)) for p in tmp_path.iterdir()), timeout=60)
        try:
            child.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            child.kill()  # SIGKILL: no cleanup runs
            child.wait()
        now = book.read_bytes()
        assert now == old or is_complete_result(now, reference), f"partial file after a kill at {delay:.2f} s"
        outcomes.append("old" if now == old else "new")
        backup = tmp_path / "office.bak.xlsx"
        if backup.exists():
            complete_parts(backup.read_bytes())
        leftovers = {p.name for p in tmp_path.iterdir()} - {"office.xlsx", "office.bak.xlsx"}
        assert all(name.startswith("." + book.name) for name in leftovers), leftovers  # only what the next run clears
    assert outcomes[-4:] == ["old"] * 4  # killed inside the save: the previous file, whole
    assert "new" in outcomes[:10]  # and the late kills found a finished run
    assert recalc_process(book).wait(timeout=120) == 0  # the next run takes the stale lock over
    assert is_complete_result(book.read_bytes(), reference)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["office.bak.xlsx", "office.xlsx"]


@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(dirs=st.booleans(), backslashes=st.booleans(), unwired=st.integers(0, 2))
def test_odd_packages_read_as_their_plain_form(template: bytes, tmp_path_factory, dirs, backslashes, unwired):
    """Whatever mix of zip oddities Excel tolerates, the reader sees the same tables as in the plain package."""
    folder = tmp_path_factory.mktemp("odd")
    plain = folder / "plain.xlsx"
    plain.write_bytes(template)

    def change(name: str, body: bytes) -> bytes:
        if name != "xl/workbook.xml":
            return body
        macro = b"".join(b'<sheet name="Macro%d" sheetId="%d" state="veryHidden" r:id=""/>' % (i, 90 + i)
                         for i in range(unwired))
        return body.replace(b"</sheets>", macro + b"</sheets>")

    def rename(name: str) -> str:
        return name.replace("/", "\\") if backslashes and name not in ("[Content_Types].xml", "_rels/.rels") else name

    book = folder / "odd.xlsx"
    book.write_bytes(rezip(template, change, names=rename, dirs=dirs))
    assert input_tables(book) == input_tables(plain)
