"""Complaints and market information of the demo office.

About six complaints a month, more from bigger customers, a handful of
customers complaining again and again; most are acknowledged within hours and
closed within days, a few are stuck (overdue), a few customers stay unhappy.
Every salesperson reports two or three market items a week (competitor
prices a little under or over our typical list price of the product line and
unit, promotions, risks); one of them has
stopped reporting lately, so the weekly report has someone to flag.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from salesxl.demo.catalogue import Product
from salesxl.demo.identifiers import numbered

CATEGORIES = ("quality", "delivery", "billing", "service", "staff_conduct")
CATEGORY_P = (0.3, 0.3, 0.15, 0.17, 0.08)
SAID = {
    "quality": ("整箱有破损漏液", "临期货太多，要求退换", "包装受潮，店里不好卖"),
    "delivery": ("约好上午送货，下午才到", "少送了两箱", "送错了规格"),
    "billing": ("发票金额与订单不符", "促销价没有按约定执行", "对账单重复扣款"),
    "service": ("电话总是没人接", "陈列物料一直没送来", "退货申请拖了很久"),
    "staff_conduct": ("业务员态度生硬", "业务员私下收取费用", "送货员与店员争吵"),
}
RESOLUTION = {
    "quality": "已换货并补偿一箱", "delivery": "已补送并致歉", "billing": "已更正发票并重开",
    "service": "已安排专人跟进", "staff_conduct": "经理上门致歉，已对当事人处理",
}
MARKET_TYPES = ("competitor_price", "competitor_promotion", "new_product", "channel_change", "policy", "credit_risk")
MARKET_P = (0.35, 0.2, 0.12, 0.12, 0.06, 0.15)
COMPETITORS = ("康师傅", "统一", "农夫山泉", "怡宝", "达利园", "旺旺", "蓝月亮", "立白")
NOTES = {
    "competitor_promotion": ("买十送一", "进货满五千返点2%", "新店开业特价一周", "陈列费加倍"),
    "new_product": ("竞品推出无糖新口味", "竞品上市小规格装", "竞品推出家庭装"),
    "channel_change": ("附近新开连锁便利店", "客户开始做社区团购", "批发市场搬迁"),
    "policy": ("区市监局抽查食品标签", "新的限塑要求下月执行"),
    "credit_risk": ("客户拖欠其他供应商货款", "区内两家批发商关门", "客户老板更换"),
}
SOURCES = ("门店走访", "客户告知", "行业群", "展会", "批发市场")


def _moment(rng: np.random.Generator, day: np.datetime64) -> pd.Timestamp:
    """A time of day on `day`: mostly office hours, sometimes evening."""
    hour = rng.integers(8, 20)
    return pd.Timestamp(day) + pd.Timedelta(hours=int(hour), minutes=int(rng.integers(0, 60)))


def complaints(rng: np.random.Generator, customers: pd.DataFrame, sales: np.ndarray, visits: pd.DataFrame,
               orders: pd.DataFrame, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Complaints received from `start` to `end` (the as-of date), oldest first; `sales` weighs the customers."""
    trading = customers["status"].isin(["active", "lost"]).to_numpy()
    eligible = customers[trading].reset_index(drop=True)
    weight = np.sqrt(np.clip(np.asarray(sales, dtype=float)[trading], 0, None)) + 1.0
    weight /= weight.sum()
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    count = int(rng.poisson(6 * months))
    who = list(rng.choice(len(eligible), size=count, p=weight))
    repeaters = rng.choice(len(eligible), size=8, replace=False)
    who += [int(r) for r in repeaters for _ in range(int(rng.integers(2, 5)))]
    span = (end - start).days + 1
    day = np.sort(rng.integers(0, span, len(who)))
    rng.shuffle(who)
    last_visit = visits.sort_values("date").groupby("customer_id")
    last_order = orders.sort_values("date").groupby("customer_id")
    now = pd.Timestamp(end) + pd.Timedelta(days=1)
    rows = []
    for n, (index, offset) in enumerate(zip(who, day), start=1):
        card = eligible.iloc[index]
        received = _moment(rng, np.datetime64(start) + np.timedelta64(int(offset), "D"))
        category = CATEGORIES[rng.choice(len(CATEGORIES), p=CATEGORY_P)]
        severity = ("high", "medium", "low")[rng.choice(3, p=(0.2, 0.5, 0.3))]
        ack = (received + pd.Timedelta(hours=float(rng.exponential(2.5)))).round("min")
        fix = (received + pd.Timedelta(days=float(rng.gamma(2.0, {"high": 1.0, "medium": 2.0, "low": 3.0}[severity])))).round("min")
        stuck = rng.random() < (0.3 if now - received < pd.Timedelta(days=45) else 0.02)
        status = "closed" if fix + pd.Timedelta(days=7) < now else "resolved"
        if stuck or fix >= now:
            status, fix = ("acknowledged" if ack < now and rng.random() < 0.6 else "open"), None
        if status == "open":
            ack = None
        link = None
        if category in ("quality", "delivery", "billing") and card["customer_id"] in last_order.groups:
            before = last_order.get_group(card["customer_id"])
            before = before[before["date"] <= received]
            link = before["order_id"].iloc[-1] if len(before) else None
        elif card["customer_id"] in last_visit.groups:
            before = last_visit.get_group(card["customer_id"])
            before = before[before["date"] <= received]
            link = before["visit_id"].iloc[-1] if len(before) else None
        rows.append({
            "complaint_id": f"TS{received.year}{n:04d}", "customer_id": card["customer_id"], "received_at": received,
            "channel": ("visit", "phone", "online", "letter")[rng.choice(4, p=(0.35, 0.4, 0.22, 0.03))],
            "category": category, "severity": severity, "description": SAID[category][rng.integers(len(SAID[category]))],
            "owner": None, "status": status, "acknowledged_at": ack, "resolved_at": fix,
            "resolution": RESOLUTION[category] if fix is not None else None,
            "satisfied": bool(rng.random() < 0.85) if status == "closed" else None, "linked_id": link,
        })
    frame = pd.DataFrame(rows)
    for key in ("received_at", "acknowledged_at", "resolved_at"):
        frame[key] = pd.to_datetime(frame[key])
    return frame


def market(rng: np.random.Generator, salespeople: pd.DataFrame, customers: pd.DataFrame, items: tuple[Product, ...],
           start: dt.date, end: dt.date) -> pd.DataFrame:
    """Two or three reports per salesperson a week; the last salesperson nearly stops in the last two months."""
    span = (end - start).days + 1
    quiet_from = span - 61
    typical = pd.DataFrame([(p.line, p.unit, p.list_price) for p in items]).groupby([0, 1])[2].median()
    rows = []
    for position, person in enumerate(salespeople.itertuples()):
        own = customers.loc[customers["salesperson_id"] == person.salesperson_id, "customer_id"].to_numpy()
        for week in range(0, span, 7):
            rate = 0.3 if position == len(salespeople) - 1 and week >= quiet_from else 2.6
            for _ in range(int(rng.poisson(rate))):
                offset = min(span - 1, week + int(rng.integers(0, 6)))
                kind = MARKET_TYPES[rng.choice(len(MARKET_TYPES), p=MARKET_P)]
                row = {"date": pd.Timestamp(start) + pd.Timedelta(days=offset), "salesperson_id": person.salesperson_id,
                       "region": person.region, "customer_id": own[rng.integers(len(own))] if len(own) and rng.random() < 0.4 else None,
                       "type": kind, "competitor": COMPETITORS[rng.integers(len(COMPETITORS))] if kind != "policy" else None,
                       "product_line": None, "observed_price": None, "unit": None,
                       "source": SOURCES[rng.integers(len(SOURCES))], "note": None, "urgent": bool(rng.random() < 0.07)}
                if kind == "competitor_price":
                    item = items[rng.integers(len(items))]
                    row.update(product_line=item.line, unit=item.unit,
                               observed_price=round(float(typical[(item.line, item.unit)] * rng.uniform(0.82, 1.12)), 1),
                               note=f"{item.name} 竞品报价")
                else:
                    options = NOTES.get(kind, ("竞品动态",))
                    row["note"] = options[rng.integers(len(options))]
                rows.append(row)
    frame = pd.DataFrame(rows).sort_values(["date", "salesperson_id"], kind="mergesort").reset_index(drop=True)
    frame.insert(0, "report_id", numbered("MI", np.arange(1, len(frame) + 1), 6))
    return frame
