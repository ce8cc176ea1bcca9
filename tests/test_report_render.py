"""Report sheets as a manager sees them: LibreOffice prints the charts, not just the numbers."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from salesxl import pipeline
from salesxl.io import libreoffice
from salesxl.io.reader import read_book
from salesxl.io.xlsx import new_workbook
from salesxl.io.xlsx.drawing import PALETTE
from tests.support import WORKBOOKS, assert_sheet_shows, needs_libreoffice

RUN = dt.datetime(2026, 11, 2, 9, 0)


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """The chart-bearing report sheets of the demo office, printed to PDF by LibreOffice."""
    folder = tmp_path_factory.mktemp("print")
    book = read_book(WORKBOOKS / "demo.xlsx")
    sheets = [s for s in pipeline.run(book, ["composition", "performance"], now=RUN).sheets if s.charts]
    workbook = folder / "reports.xlsx"
    new_workbook(workbook, sheets)
    return sheets, libreoffice.to_pdf(workbook, folder)


def _pages_with(pdf: Path, text: str) -> list[int]:
    count = int(next(line.split()[-1] for line in subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                                                                  check=True).stdout.splitlines() if line.startswith("Pages")))
    found = []
    for page in range(1, count + 1):
        shown = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
                               capture_output=True, text=True, check=True).stdout
        if text in shown:
            found.append(page)
    return found


def _palette_pixels(pdf: Path, page: int, folder: Path) -> int:
    """How many pixels of the page are drawn in a chart series colour."""
    stem = folder / f"page{page}"
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-singlefile", "-f", str(page), "-l", str(page), str(pdf), str(stem)],
                   check=True)
    pixels = np.asarray(Image.open(stem.with_suffix(".png")).convert("RGB")).reshape(-1, 3).astype(int)
    colours = np.array([[int(c[i:i + 2], 16) for i in (0, 2, 4)] for c in PALETTE[:2]])
    distance = np.abs(pixels[:, None, :] - colours[None, :, :]).sum(axis=2).min(axis=1)
    return int((distance < 40).sum())


@needs_libreoffice
@pytest.mark.parametrize("key", ["composition", "performance"])
def test_libreoffice_prints_every_chart_of_the_sheet(printed, key, tmp_path):
    sheets, pdf = printed
    sheet = next(s for s in sheets if s.key == key)
    assert sheet.charts
    for chart in sheet.charts:
        pages = _pages_with(pdf, chart.title)
        assert pages, f"chart {chart.title!r} is not in the printout"
        assert max(_palette_pixels(pdf, p, tmp_path) for p in pages) > 200, f"chart {chart.title!r} draws nothing"


@pytest.fixture(scope="module")
def shown_reports(tmp_path_factory):
    """Every report sheet of the demo office as LibreOffice reads it back."""
    folder = tmp_path_factory.mktemp("csv")
    book = read_book(WORKBOOKS / "demo.xlsx")
    sheets = pipeline.run(book, now=RUN).sheets
    workbook = folder / "reports.xlsx"
    new_workbook(workbook, sheets)
    return sheets, libreoffice.sheets_as_csv(workbook)


@needs_libreoffice
def test_libreoffice_shows_every_report_sheet_as_built(shown_reports):
    sheets, shown = shown_reports
    assert {s.name for s in sheets} <= set(shown)
    for sheet in sheets:
        if sheet.hidden:
            continue
        assert assert_sheet_shows(sheet, shown[sheet.name]) > 0 or not any(b.rows for b in sheet.blocks), sheet.name


@needs_libreoffice
def test_libreoffice_prints_the_route_maps(tmp_path):
    book = read_book(WORKBOOKS / "demo.xlsx")
    routes = next(s for s in pipeline.run(book, ["routes"], now=RUN).sheets if s.key == "routes")
    assert routes.pictures
    workbook = tmp_path / "routes.xlsx"
    new_workbook(workbook, [routes])
    pdf = libreoffice.to_pdf(workbook, tmp_path)
    listed = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    images = [line for line in listed.splitlines()[2:] if line.split() and line.split()[2] == "image"]
    assert len(images) >= len(routes.pictures), listed


@pytest.fixture(scope="module")
def printed_reports(tmp_path_factory):
    """Every visible report sheet of the demo office printed to PDF by LibreOffice in one run: (sheets, pages' text)."""
    folder = tmp_path_factory.mktemp("print_all")
    book = read_book(WORKBOOKS / "demo.xlsx")
    sheets = [s for s in pipeline.run(book, now=RUN).sheets if not s.hidden]
    workbook = folder / "reports.xlsx"
    new_workbook(workbook, sheets)
    pdf = libreoffice.to_pdf(workbook, folder)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return sheets, pdf, text.split("\f")


@needs_libreoffice
def test_no_report_page_prints_hash_marks(printed_reports):
    _, _, pages = printed_reports
    assert [n + 1 for n, page in enumerate(pages) if "###" in page] == []


@needs_libreoffice
def test_every_report_page_is_a4_landscape(printed_reports):
    _, pdf, pages = printed_reports
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", str(len(pages)), str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    sizes = {line.split(":", 1)[1].split("pts")[0].strip() for line in info.splitlines()
             if line.startswith("Page") and "size" in line}
    assert sizes == {"841.89 x 595.276"} or sizes == {"841.89 x 595.304"}, sizes


@needs_libreoffice
def test_a_long_report_repeats_its_header_row_on_the_next_page(printed_reports):
    sheets, _, pages = printed_reports
    reminders = next(s for s in sheets if s.key == "reminders")
    detail = max(reminders.blocks, key=lambda b: len(b.rows))
    assert len(detail.rows) > 100  # several pages long
    first = next(n for n, page in enumerate(pages) if reminders.blocks[0].title in page)
    following = pages[first + 1:first + 3]
    assert len(following) == 2
    for page in following:  # each page starts with the detail's header row
        top = next(line for line in page.splitlines() if line.strip())
        assert all(column.header in top for column in detail.columns), top


@needs_libreoffice
def test_settings_print_on_at_most_two_pages(tmp_path):
    from salesxl.schema import TABLES
    from salesxl.workbook.template import input_sheet, settings_rows

    table = next(t for t in TABLES if t.key_value)
    sheet = input_sheet(table, "zh", settings_rows("zh"))
    workbook = tmp_path / "settings.xlsx"
    new_workbook(workbook, [sheet])
    pdf = libreoffice.to_pdf(workbook, tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages")))
    assert pages <= 2
    shown = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert all(row[0] in shown for row in sheet.blocks[0].rows)  # nothing cut off
