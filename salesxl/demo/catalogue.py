"""The demo office's product range: a Guangzhou fast-moving consumer goods distributor.

Sixty products in six product lines, each with a list price, the discount
policy (maximum discount and floor price) and a typical order quantity.
Seasonal products are only sold in their months.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Product:
    product_id: str
    name: str
    line: str
    unit: str
    list_price: float
    max_discount: float
    popularity: float  # relative share of order lines
    typical_qty: float  # units per line for a medium customer
    months: tuple[int, ...] = ()  # selling months of a seasonal product (empty: all year)
    season: str = ""


_LINES: dict[str, tuple[tuple[str, str, float, float, float], ...]] = {
    # name, unit, list price, popularity, typical quantity
    "饮料": (
        ("天然矿泉水550ml×24瓶", "箱", 36.0, 9, 20), ("纯净水555ml×24瓶", "箱", 28.0, 8, 25),
        ("凉茶310ml×24罐", "箱", 86.0, 8, 12), ("椰汁1.25L×6瓶", "箱", 72.0, 4, 8),
        ("柠檬茶500ml×15瓶", "箱", 52.0, 5, 10), ("苏打水410ml×24瓶", "箱", 68.0, 3, 6),
        ("功能饮料250ml×24罐", "箱", 120.0, 4, 6), ("乳酸菌饮品100ml×40瓶", "箱", 58.0, 4, 8),
        ("冰红茶500ml×15瓶", "箱", 45.0, 5, 10), ("无糖气泡水480ml×15瓶", "箱", 75.0, 3, 6),
    ),
    "休闲食品": (
        ("苏打饼干400g×12包", "箱", 96.0, 4, 5), ("薯片70g×24包", "箱", 110.0, 4, 5),
        ("每日坚果礼盒750g", "盒", 128.0, 2, 6), ("五香牛肉干200g×20袋", "箱", 380.0, 2, 2),
        ("鸡蛋卷400g×12罐", "箱", 168.0, 2, 3), ("双黄莲蓉月饼礼盒", "盒", 168.0, 3, 10),
        ("凤凰卷300g×12罐", "箱", 156.0, 2, 3), ("什锦果冻1kg×8袋", "箱", 88.0, 2, 4),
        ("新春糖果礼盒1kg", "盒", 78.0, 3, 12), ("盐焗花生300g×24袋", "箱", 132.0, 2, 3),
    ),
    "粮油调味": (
        ("花生油5L×4桶", "箱", 468.0, 4, 2), ("丝苗米10kg", "袋", 62.0, 5, 8),
        ("特级生抽500ml×12瓶", "箱", 118.0, 4, 4), ("老抽王500ml×12瓶", "箱", 108.0, 3, 3),
        ("蚝油700g×12瓶", "箱", 156.0, 3, 3), ("米醋500ml×12瓶", "箱", 66.0, 2, 3),
        ("精制食盐400g×40包", "箱", 72.0, 2, 2), ("白砂糖1kg×20包", "箱", 150.0, 2, 2),
        ("鸡精200g×20袋", "箱", 176.0, 2, 2), ("白腐乳300g×24瓶", "箱", 190.0, 1, 2),
    ),
    "日化清洁": (
        ("洗衣液3kg×4瓶", "箱", 148.0, 4, 4), ("洗洁精1.5kg×8瓶", "箱", 112.0, 3, 4),
        ("洗衣粉1.7kg×6袋", "箱", 96.0, 2, 3), ("84消毒液1.2kg×12瓶", "箱", 102.0, 2, 3),
        ("厨房湿巾80片×24包", "箱", 158.0, 2, 2), ("抽纸3层130抽×48包", "箱", 118.0, 5, 6),
        ("卷纸4层10卷×6提", "箱", 138.0, 4, 5), ("垃圾袋45×50cm×100卷", "箱", 85.0, 2, 3),
        ("衣物柔顺剂2.5kg×6瓶", "箱", 168.0, 1, 2), ("洁厕液500g×24瓶", "箱", 120.0, 2, 2),
    ),
    "个人护理": (
        ("去屑洗发水750ml×12瓶", "箱", 468.0, 2, 1), ("沐浴露1L×12瓶", "箱", 396.0, 2, 1),
        ("美白牙膏120g×48支", "箱", 288.0, 3, 2), ("软毛牙刷×120支", "箱", 240.0, 2, 1),
        ("香皂115g×72块", "箱", 252.0, 2, 1), ("洗手液500ml×12瓶", "箱", 168.0, 2, 2),
        ("护手霜50g×48支", "箱", 336.0, 1, 1), ("卫生巾日用10片×48包", "箱", 312.0, 2, 1),
        ("婴儿纸尿裤L码×4包", "箱", 356.0, 2, 2), ("棉柔巾100抽×24包", "箱", 192.0, 1, 2),
    ),
    "酒类": (
        ("九江双蒸米酒500ml×12瓶", "箱", 156.0, 3, 3), ("纯生啤酒500ml×12罐", "箱", 72.0, 5, 10),
        ("清爽啤酒330ml×24罐", "箱", 68.0, 5, 10), ("客家黄酒500ml×12瓶", "箱", 128.0, 1, 2),
        ("浓香型白酒52度500ml×6瓶", "箱", 588.0, 1, 1), ("干红葡萄酒750ml×6瓶", "箱", 456.0, 1, 1),
        ("青梅果酒330ml×12瓶", "箱", 168.0, 1, 2), ("玉冰烧500ml×12瓶", "箱", 168.0, 2, 2),
        ("米酒礼盒2瓶装", "盒", 198.0, 1, 4), ("无醇啤酒330ml×24罐", "箱", 96.0, 1, 3),
    ),
}
_SEASONS = {"双黄莲蓉月饼礼盒": ((7, 8, 9), "中秋"), "新春糖果礼盒1kg": ((12, 1, 2), "春节"),
            "米酒礼盒2瓶装": ((12, 1, 2, 9), "节日"), "凉茶310ml×24罐": ((), "夏季旺销")}
_MAX_DISCOUNT = (0.10, 0.12, 0.15)


def products() -> tuple[Product, ...]:
    out = []
    for li, (line, rows) in enumerate(_LINES.items(), start=1):
        for pi, (name, unit, price, pop, qty) in enumerate(rows, start=1):
            months, season = _SEASONS.get(name, ((), ""))
            out.append(Product(f"P{li}{pi:02d}", name, line, unit, price, _MAX_DISCOUNT[(li + pi) % 3], pop, qty,
                               months, season))
    return tuple(out)


def substitutes(items: tuple[Product, ...]) -> np.ndarray:
    """For each product, the product sold instead outside its season (itself when all-year)."""
    out = np.arange(len(items))
    for i, p in enumerate(items):
        if p.months:
            out[i] = next(j for j, q in enumerate(items) if q.line == p.line and not q.months)
    return out


def in_season(items: tuple[Product, ...]) -> np.ndarray:
    """(product, month 1-12) -> whether the product is sold in that month."""
    table = np.ones((len(items), 13), dtype=bool)
    for i, p in enumerate(items):
        if p.months:
            table[i, :] = False
            table[i, list(p.months)] = True
    return table


def price_list(items: tuple[Product, ...], valid_from: np.datetime64) -> pd.DataFrame:
    """One list price per product for all customers, plus wholesaler prices for the best sellers."""
    rows = [(p, "all", p.list_price, p.max_discount) for p in items]
    best = sorted(items, key=lambda p: -p.popularity)[:10]
    rows += [(p, "wholesaler", round(p.list_price * 0.94, 2), 0.05) for p in sorted(best, key=lambda p: p.product_id)]
    n = len(rows)
    return pd.DataFrame({
        "price_id": [f"JG{i:04d}" for i in range(1, n + 1)],
        "product_id": [p.product_id for p, *_ in rows],
        "product_name": [p.name for p, *_ in rows],
        "product_line": [p.line for p, *_ in rows],
        "unit": [p.unit for p, *_ in rows],
        "customer_type": [t for _, t, _, _ in rows],
        "list_price": [price for _, _, price, _ in rows],
        "min_price": [round(price * (1 - disc), 2) for _, _, price, disc in rows],
        "max_discount": [disc for *_, disc in rows],
        "valid_from": pd.to_datetime([valid_from] * n),
        "valid_to": pd.NaT,
        "season": [p.season or None for p, *_ in rows],
    })
