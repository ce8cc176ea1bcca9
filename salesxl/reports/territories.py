"""The TerritoryProposal sheet (划区建议): a summary, workload per salesperson before and after, the
customers whose salesperson would change, the blank regions it fills, and the customers that cannot be placed.

Not a registered report: only `salesxl territories` writes it, so a recalculation leaves it as it is.
"""

from __future__ import annotations

from typing import Any

from salesxl.core.book import ROW, Book, quote_sheet
from salesxl.core.issues import Lang
from salesxl.core.sheetspec import Block, ColumnSpec, Link, SheetSpec
from salesxl.passes.territories import TerritoryProposal
from salesxl.schema import OUTPUTS_BY_KEY

WORDS: dict[Lang, dict[str, str]] = {
    "zh": {"summary": "划区建议汇总（仅为建议：客户档案未改动，确认后运行 salesxl territories --apply）",
           "applied": "划区建议汇总（已写入客户档案，每处改动见合并记录）",
           "item": "项目", "value": "取值", "mode": "范围", "all": "全部客户", "unassigned": "仅无负责销售员的客户",
           "considered": "参与划区的客户", "changed": "负责销售员变更", "placed": "新分配（原无销售员）",
           "no_coords": "缺少经纬度（未调整）", "ratio_before": "工作量最大/最小（调整前）",
           "ratio_after": "工作量最大/最小（调整后）", "km_before": "估计里程/计划期（调整前，公里）",
           "km_after": "估计里程/计划期（调整后，公里）", "band": "工作量允许偏差（± 平均值）",
           "people": "各销售员工作量（拜访时间 + 各片区从出发点往返的路程）", "sp": "销售员", "name": "姓名",
           "customers": "客户数", "visits": "应拜访次数", "km": "估计公里数", "minutes": "工作分钟",
           "share": "工作量占比", "before": "调整前", "after": "调整后",
           "changes": "建议变更负责销售员的客户", "customer": "客户编号", "customer_name": "客户名称",
           "grade": "等级", "current": "现负责", "proposed": "建议负责", "row": "位置",
           "left": "缺少经纬度、未参与划区的客户", "none": "（无）",
           "regions": "客户档案区域为空、建议填入的片区", "region_filled": "建议填入区域",
           "proposed_region": "建议片区"},
    "en": {"summary": "Territory proposal (a proposal only: Customers is unchanged; run salesxl territories --apply "
                      "to apply it)",
           "applied": "Territory proposal (applied to Customers; every change is in MergeLog)",
           "item": "Item", "value": "Value", "mode": "Scope", "all": "All customers",
           "unassigned": "Customers without a salesperson only", "considered": "Customers considered",
           "changed": "Salesperson changed", "placed": "Newly assigned (had no salesperson)",
           "no_coords": "Without coordinates (not moved)", "ratio_before": "Workload max/min (before)",
           "ratio_after": "Workload max/min (after)", "km_before": "Estimated km per plan (before)",
           "km_after": "Estimated km per plan (after)", "band": "Workload tolerance (± the mean)",
           "people": "Workload per salesperson (visit time + each day region's drive from the start point)",
           "sp": "Salesperson", "name": "Name", "customers": "Customers", "visits": "Visits required",
           "km": "Est. km", "minutes": "Workload (minutes)", "share": "Workload share", "before": "before",
           "after": "after", "changes": "Customers whose salesperson would change", "customer": "Customer ID",
           "customer_name": "Customer", "grade": "Grade", "current": "Current", "proposed": "Proposed", "row": "Row",
           "left": "Customers without coordinates, left out of the proposal", "none": "(none)",
           "regions": "Customers with a blank region, and the region proposed", "region_filled": "Regions filled",
           "proposed_region": "Proposed region"},
}


def territory_sheet(proposal: TerritoryProposal, book: Book, *, applied: bool = False) -> SheetSpec:
    """The proposal as one tool-owned sheet in the workbook's language."""
    lang = book.lang
    w = WORDS[lang]
    people, changed, left = proposal.people, proposal.changed, proposal.no_coords
    summary = [
        [w["mode"], w["unassigned"] if proposal.unassigned_only else w["all"]],
        [w["considered"], int(proposal.customers["located"].sum())],
        [w["changed"], len(changed)],
        [w["placed"], int((changed["current"] == "").sum())],
        [w["region_filled"], len(proposal.regions_filled)],
        [w["no_coords"], len(left)],
        [w["ratio_before"], proposal.ratio("before")],
        [w["ratio_after"], proposal.ratio("after")],
        [w["km_before"], round(float(people["km_before"].sum()), 1)],
        [w["km_after"], round(float(people["km_after"].sum()), 1)],
        [w["band"], proposal.tolerance],
    ]
    blocks = [Block([ColumnSpec(w["item"], width=34), ColumnSpec(w["value"], width=18)], summary,
                    title=w["applied" if applied else "summary"])]
    pairs = [("customers", "int"), ("visits", "int"), ("km", "number"), ("minutes", "int"), ("share", "percent")]
    columns = [ColumnSpec(w["sp"], width=12), ColumnSpec(w["name"], width=12)]
    columns += [ColumnSpec(f"{w[key]}（{w[when]}）" if lang == "zh" else f"{w[key]} ({w[when]})", kind, 14)
                for key, kind in pairs for when in ("before", "after")]
    rows = [[r.salesperson_id, r.name] + [getattr(r, f"{key}_{when}") for key, _ in pairs for when in ("before", "after")]
            for r in people.itertuples()]
    blocks.append(Block(columns, rows, title=w["people"], table_name="tblTerritoryWorkload"))
    blocks.append(_customers_block(changed, book, w, w["changes"], "tblTerritoryChanges", proposed=True))
    blocks.append(_customers_block(proposal.regions_filled, book, w, w["regions"], "tblTerritoryRegions",
                                   proposed=True, what="proposed_region"))
    blocks.append(_customers_block(left, book, w, w["left"], "tblTerritoryNoCoords", proposed=False))
    output = OUTPUTS_BY_KEY["territories"]
    return SheetSpec(key=output.key, name=output.sheet_name(lang), blocks=blocks, freeze_rows=0)


def _customers_block(frame, book: Book, w: dict[str, str], title: str, table_name: str, *, proposed: bool,
                     what: str = "proposed") -> Block:
    heads = [("customer", 14), ("customer_name", 24), ("grade", 8), ("current", 12)]
    heads += [(what, 16)] if proposed else []
    heads += [("row", 16)]
    rows: list[list[Any]] = []
    for r in frame.to_dict("records"):
        row = [r["customer_id"], r["name"], r["grade"], r["current"] or None]
        row += [r[what]] if proposed else []
        rows.append(row + [_row_link(book, r.get(ROW))])
    if not rows:
        rows = [[w["none"]] + [None] * (len(heads) - 1)]
    return Block([ColumnSpec(w[h], width=width) for h, width in heads], rows, title=title, table_name=table_name)


def _row_link(book: Book, row: int | None) -> Link | None:
    sheet = book.table("customers").sheet
    if sheet is None or row is None:
        return None
    return Link(f"{sheet}!A{row}", f"{quote_sheet(sheet)}!A{row}")
