"""Is this file a workbook salesxl can use? One place for every file-level check.

`open_package_bytes` returns the bytes of a usable .xlsx/.xlsm package (decrypted
in memory when a password is given) or raises `WorkbookError`; the reader and
the writer both start here. `lock_owner_file` tells whether Excel or LibreOffice
has the file open, which only matters before writing.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from lxml import etree

from salesxl.core.issues import IssueKind, WorkbookError
from salesxl.io.read_issues import (
    FILE_BAD_PASSWORD,
    FILE_DAMAGED,
    FILE_ENCRYPTED,
    FILE_LOCKED,
    FILE_MISSING,
    FILE_NOT_XLSX,
    FILE_XLS,
)
from salesxl.io.package_xml import dtd_part, main_part, parse

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
SPREADSHEET_TYPES = ("spreadsheetml", "ms-excel.sheet.macroEnabled", "ms-excel.template", "ms-excel.addin")
XLSB = ("二进制工作簿（.xlsb），请另存为 .xlsx", "a binary workbook (.xlsb); save it as .xlsx")


Text = str | tuple[str, str]  # one text for both languages, or (zh, en)


def file_error(kind: IssueKind, path: Path | str, **params: Text) -> WorkbookError:
    """A WorkbookError carrying the kind's message in both languages."""

    def text(lang: str) -> str:
        chosen = {k: (v[0] if lang == "zh" else v[1]) if isinstance(v, tuple) else v for k, v in params.items()}
        return kind.text(lang, path=str(path), **chosen)

    return WorkbookError(kind.code, text("zh"), text("en"), path=str(path))


def lock_owner_file(path: Path | str) -> Path | None:
    """The owner file Excel (`~$name.xlsx`) or LibreOffice (`.~lock.name.xlsx#`) keeps beside an open workbook."""
    path = Path(path)
    # Excel drops the first two characters of long names: "~$ffice.xlsx" for "office.xlsx"
    candidates = (path.with_name("~$" + path.name), path.with_name("~$" + path.name[2:]),
                  path.with_name(".~lock." + path.name + "#"))
    return next((c for c in candidates if c.is_file()), None)


def check_not_locked(path: Path | str) -> None:
    """Refuse to touch a workbook another program has open (call before writing)."""
    owner = lock_owner_file(path)
    if owner is not None:
        raise file_error(FILE_LOCKED, path, owner=owner.name)


def open_package_bytes(path: Path | str, password: str | None = None) -> bytes:
    """The bytes of a readable .xlsx/.xlsm package, or a WorkbookError saying why not."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise file_error(FILE_MISSING, path) from None
    except IsADirectoryError:
        raise file_error(FILE_NOT_XLSX, path, reason=("这是一个文件夹", "it is a folder")) from None
    except PermissionError:
        raise file_error(FILE_LOCKED, path, owner=("无读取权限", "permission denied")) from None
    except OSError as exc:
        raise file_error(FILE_DAMAGED, path, reason=exc.strerror or type(exc).__name__) from None
    if data.startswith(OLE_MAGIC):
        data = _decrypt(path, data, password)
    check_package(path, data)
    return data


def check_package(path: Path | str, data: bytes) -> None:
    """Raise unless `data` is a zip package whose main part is a spreadsheet in XML form."""
    if not data:
        raise file_error(FILE_DAMAGED, path, reason=("空文件", "the file is empty"))
    if not data.startswith(ZIP_MAGIC):
        raise file_error(FILE_NOT_XLSX, path, reason=_what_is(data))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = {name.replace("\\", "/") for name in package.namelist()}
            if "_rels/.rels" not in names:
                raise file_error(FILE_NOT_XLSX, path, reason=("缺少 _rels/.rels", "no _rels/.rels"))
            bomb = dtd_part(package)
            if bomb is not None:
                raise dtd_error(path, bomb)
            main = main_part(package)
            content_type = _content_type(package.read("[Content_Types].xml"), main) if main else ""
            if main is None or main not in names:
                raise file_error(FILE_DAMAGED, path, reason=("缺少工作簿部件", "no workbook part"))
    except zipfile.BadZipFile as exc:
        raise file_error(FILE_DAMAGED, path, reason=str(exc)) from None
    except (KeyError, etree.XMLSyntaxError, zipfile.LargeZipFile, EOFError) as exc:
        raise file_error(FILE_DAMAGED, path, reason=f"{type(exc).__name__}: {exc}") from None
    if "binary" in content_type or main.endswith(".bin"):
        raise file_error(FILE_NOT_XLSX, path, reason=XLSB)
    if not any(kind in content_type for kind in SPREADSHEET_TYPES):
        raise file_error(FILE_NOT_XLSX, path, reason=content_type or main)


def dtd_error(path: Path | str, part: str) -> WorkbookError:
    """An XML bomb or any DTD: Excel never writes one, so the package is refused whole."""
    name = Path(path).name
    return WorkbookError(
        "FILE_XML_DTD",
        f"文件 {name} 的部件 {part} 含有 DTD 或实体声明（Excel 从不写入这种内容，可能是恶意构造的“XML 炸弹”）；"
        "salesxl 不读取也不写入它，文件未被改动。",
        f"The part {part} of {name} carries a DTD or entity declaration (Excel never writes one; it may be a "
        "crafted “XML bomb”); salesxl neither reads nor writes it, and the file was left untouched.",
        path=str(path))


def strict_error(path: Path | str) -> WorkbookError:
    """Strict Open XML is read but never written: sheets in the transitional form inside a strict
    package are a mix Excel may have to repair, and the user's file must stay sound."""
    name = Path(path).name
    return WorkbookError(
        "FILE_UNSUPPORTED",
        f"{name} 是“严格 Open XML”格式：salesxl 可以读取和校验它，但不写入（写入的工作表会与严格格式混用，"
        "Excel 可能需要修复文件）。请在 Excel 中另存为“Excel 工作簿 (*.xlsx)”后再运行；文件未被改动。",
        f"{name} is a Strict Open XML workbook: salesxl reads and checks it but does not write to it (the "
        "sheets it writes would mix with the strict format and Excel might have to repair the file). Save it "
        "as “Excel Workbook (*.xlsx)” in Excel and run again; the file was left untouched.",
        path=str(path))


def _decrypt(path: Path, data: bytes, password: str | None) -> bytes:
    """The package inside an OLE container (imports msoffcrypto only for such files)."""
    import msoffcrypto
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            encrypted = ole.exists("EncryptionInfo")
            old_binary = ole.exists("Workbook") or ole.exists("Book")
    except OSError as exc:
        raise file_error(FILE_DAMAGED, path, reason=str(exc)) from None
    if old_binary:
        raise file_error(FILE_XLS, path)
    if not encrypted:
        raise file_error(FILE_NOT_XLSX, path, reason=("其他 Office 文件", "another kind of Office file"))
    if password is None:
        raise file_error(FILE_ENCRYPTED, path)
    try:
        office = msoffcrypto.OfficeFile(io.BytesIO(data))
        office.load_key(password=password, verify_password=True)
        out = io.BytesIO()
        office.decrypt(out)
    except msoffcrypto.exceptions.InvalidKeyError:
        raise file_error(FILE_BAD_PASSWORD, path) from None
    except Exception as exc:  # msoffcrypto raises many kinds on malformed containers
        raise file_error(FILE_DAMAGED, path, reason=f"{type(exc).__name__}: {exc}") from None
    return out.getvalue()


def _content_type(types_xml: bytes, part: str) -> str:
    root = parse(types_xml)
    extension = part.rsplit(".", 1)[-1].lower()
    default = ""
    for item in root:
        if not isinstance(item.tag, str):
            continue
        tag = etree.QName(item).localname
        if tag == "Override" and item.get("PartName", "").lstrip("/") == part:
            return item.get("ContentType", "")
        if tag == "Default" and item.get("Extension", "").lower() == extension:
            default = item.get("ContentType", "")
    return default


def _what_is(data: bytes) -> tuple[str, str]:
    head = data[:8].lstrip()
    if head.startswith((b"<", b"\xef\xbb\xbf<")):
        return ("网页或 XML 文件", "a web page or XML file")
    if head.startswith(b"%PDF"):
        return ("PDF 文件", "a PDF file")
    if head.startswith(b"{\\rtf"):
        return ("RTF 文档", "an RTF document")
    return ("文本或其他文件", "text or another kind of file")
