"""Charts and pictures: one drawing part per sheet, chart parts with cached values, PNG media.

Every object we draw is named "salesxl …" so a later run can tell ours from a user's.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Callable

from lxml import etree

from salesxl.core.book import column_letter, quote_sheet
from salesxl.core.sheetspec import ChartSpec, SheetSpec
from salesxl.io.xlsx import cells
from salesxl.io.xlsx.opc import CT_CHART, CT_DRAWING, RT_CHART, RT_IMAGE, ContentTypes, Rels, parse, relative
from salesxl.io.xlsx.package import Package
from salesxl.io.xlsx.sheetxml import Layout

XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
EMU_PER_PX = 9525
_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
#: Series colours, written explicitly: without them LibreOffice draws bars and lines with no fill.
PALETTE = ("4472C4", "ED7D31", "A5A5A5", "FFC000", "5B9BD5", "70AD47", "264478", "9E480E", "636363", "997300")


def _fill(colour: str) -> str:
    return f'<c:spPr><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill></c:spPr>'


def _line(colour: str) -> str:
    return f'<c:spPr><a:ln w="28575" cap="rnd"><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill></a:ln></c:spPr>'


def _style(kind: str, idx: int, points: int) -> str:
    """The series' own colours: a line for line charts, a fill per slice for pies, else one fill."""
    colour = PALETTE[idx % len(PALETTE)]
    if kind == "line":
        return _line(colour) + (f'<c:marker><c:symbol val="circle"/><c:size val="5"/>{_fill(colour)}</c:marker>')
    if kind == "pie":
        return "".join(f'<c:dPt><c:idx val="{i}"/><c:bubble3D val="0"/>{_fill(PALETTE[i % len(PALETTE)])}</c:dPt>'
                       for i in range(points))
    return _fill(colour) + '<c:invertIfNegative val="0"/>'


def object_names(drawing_xml: bytes) -> list[str]:
    """The names (cNvPr/@name) of every object in a drawing part."""
    root = parse(drawing_xml)
    return [el.get("name", "") for el in root.iter()
            if isinstance(el.tag, str) and etree.QName(el).localname == "cNvPr"]


def _cell(ref: str) -> tuple[int, int]:
    """"H3" -> 0-based (column, row)."""
    m = re.fullmatch(r"\$?([A-Za-z]{1,3})\$?(\d+)", ref.strip())
    if not m:
        raise ValueError(f"not a cell reference: {ref!r}")
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return col - 1, int(m.group(2)) - 1


def _marker(tag: str, col: int, row: int) -> str:
    return (f"<xdr:{tag}><xdr:col>{col}</xdr:col><xdr:colOff>0</xdr:colOff>"
            f"<xdr:row>{row}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:{tag}>")


def _rich(text: str) -> str:
    return (f'<c:title><c:tx><c:rich><a:bodyPr/><a:p><a:r><a:t>{cells.text(text)}</a:t></a:r></a:p></c:rich>'
            f'</c:tx><c:overlay val="0"/></c:title>')


def _series(spec: SheetSpec, lay: Layout, chart: ChartSpec) -> str:
    out = []
    for idx, s in enumerate(chart.series):
        block = spec.blocks[s.block]
        row0, col0 = lay.origins[s.block]
        first, last = row0 + 1, row0 + max(len(block.rows), 1)
        sheet = quote_sheet(spec.name)

        def ref(column: int) -> str:
            letter = column_letter(col0 + column)
            return cells.text(f"{sheet}!${letter}${first}:${letter}${last}")

        cats, vals = [], []
        for i, row in enumerate(block.rows):
            cat = cells.plain(row[s.categories_column] if s.categories_column < len(row) else None)
            if cat is not None:
                text = getattr(cat, "text", None) or (cat.isoformat() if hasattr(cat, "isoformat") else str(cat))
                cats.append(f'<c:pt idx="{i}"><c:v>{cells.text(text)}</c:v></c:pt>')
            val = cells.plain(row[s.values_column] if s.values_column < len(row) else None)
            if isinstance(val, (int, float, Decimal)) and not isinstance(val, bool):
                num = cells.number(val)
                if num is not None:
                    vals.append(f'<c:pt idx="{i}"><c:v>{num}</c:v></c:pt>')
        n = len(block.rows)
        out.append(
            f'<c:ser><c:idx val="{idx}"/><c:order val="{idx}"/><c:tx><c:v>{cells.text(s.name)}</c:v></c:tx>'
            f"{_style(chart.kind, idx, n)}"
            f'<c:cat><c:strRef><c:f>{ref(s.categories_column)}</c:f><c:strCache><c:ptCount val="{n}"/>'
            f'{"".join(cats)}</c:strCache></c:strRef></c:cat>'
            f'<c:val><c:numRef><c:f>{ref(s.values_column)}</c:f><c:numCache><c:formatCode>General</c:formatCode>'
            f'<c:ptCount val="{n}"/>{"".join(vals)}</c:numCache></c:numRef></c:val>'
            + ('<c:smooth val="0"/>' if chart.kind == "line" else "") + "</c:ser>")
    return "".join(out)


def chart_xml(spec: SheetSpec, lay: Layout, chart: ChartSpec) -> bytes:
    series = _series(spec, lay, chart)
    axes_ids = '<c:axId val="500000001"/><c:axId val="500000002"/>'
    if chart.kind == "pie":
        plot = f'<c:pieChart><c:varyColors val="1"/>{series}<c:firstSliceAng val="0"/></c:pieChart>'
        axes = ""
    else:
        if chart.kind == "line":
            plot = (f'<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>{series}'
                    f'<c:marker val="1"/>{axes_ids}</c:lineChart>')
        else:
            direction = "bar" if chart.kind == "bar" else "col"
            plot = (f'<c:barChart><c:barDir val="{direction}"/><c:grouping val="clustered"/>'
                    f'<c:varyColors val="0"/>{series}<c:gapWidth val="150"/>{axes_ids}</c:barChart>')
        cat_pos, val_pos = ("l", "b") if chart.kind == "bar" else ("b", "l")
        axes = (f'<c:catAx><c:axId val="500000001"/><c:scaling><c:orientation val="minMax"/></c:scaling>'
                f'<c:delete val="0"/><c:axPos val="{cat_pos}"/>{_rich(chart.x_title) if chart.x_title else ""}'
                f'<c:numFmt formatCode="General" sourceLinked="0"/><c:tickLblPos val="nextTo"/>'
                f'<c:crossAx val="500000002"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/>'
                f'<c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>'
                f'<c:valAx><c:axId val="500000002"/><c:scaling><c:orientation val="minMax"/></c:scaling>'
                f'<c:delete val="0"/><c:axPos val="{val_pos}"/><c:majorGridlines/>'
                f'{_rich(chart.y_title) if chart.y_title else ""}'
                f'<c:numFmt formatCode="General" sourceLinked="1"/><c:tickLblPos val="nextTo"/>'
                f'<c:crossAx val="500000001"/><c:crosses val="autoZero"/><c:crossBetween val="between"/></c:valAx>')
    return (f'{_DECL}<c:chartSpace xmlns:c="{C}" xmlns:a="{A}" xmlns:r="{R}"><c:roundedCorners val="0"/>'
            f'<c:chart>{_rich(chart.title)}<c:autoTitleDeleted val="0"/><c:plotArea><c:layout/>{plot}{axes}'
            f'</c:plotArea><c:legend><c:legendPos val="{"r" if chart.kind == "pie" else "b"}"/>'
            f'<c:overlay val="0"/></c:legend><c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>'
            f"</c:chartSpace>").encode("utf-8")


def write(pkg: Package, ct: ContentTypes, spec: SheetSpec, lay: Layout,
          free_name: Callable[[str], str]) -> str:
    """Write the drawing of `spec` (charts, then pictures) and return its part name."""
    drawing = free_name("xl/drawings/drawing_sxl_{}.xml")
    rels = Rels(pkg, drawing)
    for el in rels.items():
        rels.remove(el)
    anchors = []
    object_id = 1
    for n, chart in enumerate(spec.charts, 1):
        part = free_name("xl/charts/chart_sxl_{}.xml")
        pkg.write(part, chart_xml(spec, lay, chart))
        ct.override(part, CT_CHART)
        rid = rels.add(RT_CHART, relative(drawing, part))
        col, row = _cell(chart.anchor)
        object_id += 1
        anchors.append(
            f'<xdr:twoCellAnchor editAs="oneCell">{_marker("from", col, row)}'
            f'{_marker("to", col + chart.width_cells, row + chart.height_cells)}'
            f'<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="{object_id}" '
            f'name="salesxl chart {n}"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>'
            f'<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm><a:graphic>'
            f'<a:graphicData uri="{C}"><c:chart xmlns:c="{C}" r:id="{rid}"/></a:graphicData></a:graphic>'
            f"</xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>")
    if spec.pictures:
        ct.default("png", "image/png")
    for n, picture in enumerate(spec.pictures, 1):
        part = free_name("xl/media/image_sxl_{}.png")
        pkg.write(part, picture.png)
        rid = rels.add(RT_IMAGE, relative(drawing, part))
        col, row = _cell(picture.anchor)
        cx, cy = picture.width_px * EMU_PER_PX, picture.height_px * EMU_PER_PX
        object_id += 1
        anchors.append(
            f'<xdr:oneCellAnchor>{_marker("from", col, row)}<xdr:ext cx="{cx}" cy="{cy}"/>'
            f'<xdr:pic><xdr:nvPicPr><xdr:cNvPr id="{object_id}" name="salesxl picture {n}" '
            f'descr="{cells.attr(picture.description)}"/><xdr:cNvPicPr><a:picLocks noChangeAspect="1"/>'
            f'</xdr:cNvPicPr></xdr:nvPicPr><xdr:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/>'
            f'</a:stretch></xdr:blipFill><xdr:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/>'
            f'</a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr></xdr:pic>'
            f"<xdr:clientData/></xdr:oneCellAnchor>")
    pkg.write(drawing, (f'{_DECL}<xdr:wsDr xmlns:xdr="{XDR}" xmlns:a="{A}" xmlns:r="{R}">'
                        f'{"".join(anchors)}</xdr:wsDr>').encode("utf-8"))
    ct.override(drawing, CT_DRAWING)
    rels.save()
    return drawing
