"""The few sheet settings xlwings has no API of its own for, through `.api` on each platform.

Windows: the COM object model (pywin32). Mac: the AppleScript object model
(appscript). The remote engine (xlwings Server and Lite) has no `.api`: these
settings are skipped there and the run goes on, since none of them changes a
value (docs/excel.md lists what each platform gets).
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from salesxl.core.sheetspec import PageSetup, Validation

XL_LANDSCAPE, XL_PORTRAIT, XL_PAPER_A4 = 2, 1, 9


def on_mac(obj: Any) -> bool:
    """Whether an xlwings object lives in Excel for Mac (the AppleScript engine)."""
    return type(getattr(obj, "impl", None)).__module__.endswith("_xlmac")


def _api(obj: Any) -> Any | None:
    try:
        return obj.api
    except Exception:  # the remote engine has no native object
        return None


@contextmanager
def _mac_best_effort() -> Iterator[None]:
    """The AppleScript names below are Excel for Mac's dictionary as documented, not checked on a Mac here:
    a Mac that refuses one keeps that setting's default, and the run goes on (none of them holds data)."""
    try:
        yield
    except Exception:  # appscript raises CommandError and others for a name the dictionary lacks
        pass


def _bgr(rgb: tuple[int, int, int]) -> int:
    """COM colours are 0xBBGGRR."""
    return rgb[0] + rgb[1] * 256 + rgb[2] * 65536


def set_tab_color(sheet: Any, rgb: tuple[int, int, int]) -> None:
    api = _api(sheet)
    if api is None:
        return
    if on_mac(sheet):
        with _mac_best_effort():
            api.tab.color.set(list(rgb))
    else:
        api.Tab.Color = _bgr(rgb)


def page_setup(sheet: Any, page: PageSetup) -> None:
    """Orientation, A4, fit to pages and row breaks, as the file writer's pageSetup and rowBreaks."""
    api = _api(sheet)
    if api is None:
        return
    fit = page.fit_width is not None or page.fit_height is not None
    if on_mac(sheet):
        with _mac_best_effort():
            from appscript import k

            setup = api.page_setup_object
            setup.page_orientation.set(k.landscape if page.orientation == "landscape" else k.portrait)
            setup.paper_size.set(k.paper_a4)
            if fit:
                setup.zoom.set(False)
                setup.fit_to_pages_wide.set(page.fit_width or False)
                setup.fit_to_pages_tall.set(page.fit_height or False)
        return
    setup = api.PageSetup
    setup.Orientation = XL_LANDSCAPE if page.orientation == "landscape" else XL_PORTRAIT
    setup.PaperSize = XL_PAPER_A4
    if fit:
        setup.Zoom = False
        setup.FitToPagesWide = page.fit_width or False
        setup.FitToPagesTall = page.fit_height or False
    for row in page.row_breaks:
        api.HPageBreaks.Add(api.Range(f"A{row + 1}"))


def set_print_title_rows(sheet: Any, rows: str) -> None:
    api = _api(sheet)
    if api is None:
        return
    if on_mac(sheet):
        with _mac_best_effort():
            api.page_setup_object.print_title_rows.set(rows)
    else:
        api.PageSetup.PrintTitleRows = rows


def set_validation_messages(rng: Any, v: Validation) -> None:
    """Input prompt, error alert and blank handling of a validation rule (Windows; the Mac keeps the rule)."""
    api = _api(rng)
    if api is None or on_mac(rng):
        return
    rule = api.Validation
    rule.IgnoreBlank = v.allow_blank
    rule.InputTitle, rule.InputMessage = v.prompt_title, v.prompt
    rule.ErrorTitle, rule.ErrorMessage = v.error_title, v.error
    rule.ShowInput = rule.ShowError = True


def set_alt_text(picture: Any, text: str) -> None:
    api = _api(picture)
    if api is None or on_mac(picture):
        return
    api.ShapeRange.AlternativeText = text
