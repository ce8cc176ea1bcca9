"""Customer cards and their contacts, filled the way a careful office fills them.

All four blocks of the rule book are filled plausibly for the customer's
lifecycle status; prospects have thinner cards than signed customers. The
self-reported annual revenue always exceeds what the office sold the
customer, unless a defect says otherwise.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from salesxl.demo import geo, names
from salesxl.demo.days import Days
from salesxl.demo.identifiers import emails, numbered, usccs
from salesxl.demo.people import Population

NOTES = np.array(["春节前备货量大", "老板周二上午在店", "需开增值税专票", "送货需提前一天预约", "仓库在后巷", "月底统一对账"])
CREDIT_PROBLEMS = np.array(["曾逾期超过60天", "曾有退票记录", "对账常有争议", "曾拖欠货款"])
HOBBIES = np.array(["钓鱼", "羽毛球", "喝茶", "登山", "摄影", "高尔夫", "粤剧", "打麻将", "足球", "书法"])
FAMILY = np.array(["已婚，育有一子", "已婚，育有一女", "已婚，两个小孩", "未婚", "已婚，孩子在读大学"])
ESTATES = np.array(["锦绣花园", "丽江花园", "华景新城", "翠湖山庄", "星河湾", "金碧花园", "富力城", "保利花园"])
TITLES_SHOP = np.array(["老板", "店长"])
TITLES_COMPANY = np.array(["总经理", "采购经理"])
TITLES_OTHER = np.array(["采购主管", "财务", "店长", "仓库主管", "业务经理", "老板娘"])


def _homes(rng: np.random.Generator, district: np.ndarray) -> np.ndarray:
    """Home addresses such as 广州市海珠区江南大道中88号丽江花园3栋1202."""
    m = len(district)
    unit = np.char.add(np.char.add(rng.integers(1, 30, m).astype(str), "栋"), rng.integers(101, 3305, m).astype(str))
    return np.char.add(np.char.add(geo.addresses(rng, district, shops=False), ESTATES[rng.integers(0, len(ESTATES), m)]), unit)


def _choice(rng: np.random.Generator, options: list[str], p: list[float], n: int) -> np.ndarray:
    return np.array(options)[rng.choice(len(options), size=n, p=p)]


def _round(values: np.ndarray, step: float) -> np.ndarray:
    return np.round(values / step) * step


def cards(rng: np.random.Generator, pop: Population, days: Days, phones: np.ndarray, recent_sales: np.ndarray,
          regions: dict[int, str]) -> pd.DataFrame:
    """The customer cards; `recent_sales` is each customer's net sales of the last 12 months,
    `regions` the sales region of each district."""
    n = len(pop.ids)
    status = pop.status
    signed = status == "active"
    in_touch = signed | (status == "intent")
    traded = pop.traders
    company = ~pop.shop

    person, pinyin = names.people(rng, 3 * n)
    owner, manager, rep = person[:n], person[n:2 * n], person[2 * n:]
    rep = np.where(pop.shop, owner, rep)
    name, trade_py = names.companies(rng, pop.channel, pop.shop)
    division = np.array([d.division for d in geo.DISTRICTS])[pop.district]
    uscc = usccs(rng, division, pop.shop)
    lat, lon = geo.place(rng, pop.district)

    start = days.start
    first_trade = np.where(pop.first_day > 0, start + pop.first_day.astype("timedelta64[D]"),
                           start + pop.created_day.astype("timedelta64[D]") + rng.integers(5, 60, n).astype("timedelta64[D]"))
    first_trade = np.minimum(first_trade, start + pop.first_day.astype("timedelta64[D]"))
    founded_anchor = np.where(traded, first_trade, start + pop.created_day.astype("timedelta64[D]"))
    founded = founded_anchor - (rng.uniform(0.5, 18, n) * 365).astype("timedelta64[D]")
    created = start + pop.created_day.astype("timedelta64[D]")
    updated = np.maximum(created, days.end - rng.integers(0, 420, n).astype("timedelta64[D]"))

    capital = np.where(company, _round(rng.lognormal(np.log(1e6), 1.0, n), 1e4), _round(rng.uniform(3e4, 5e5, n), 1e4))
    capital = np.maximum(capital, 1e4)
    assets = _round(capital * rng.uniform(1.0, 4.0, n), 1e4)
    employees = np.where(company, np.maximum(3, rng.lognormal(np.log(25), 0.8, n)), rng.integers(1, 9, n)).astype(int)
    revenue = _round(np.maximum(rng.lognormal(np.log(3e6), 1.0, n) * pop.weight ** 0.5,
                                recent_sales * rng.uniform(3, 15, n)), 1e4)
    revenue = np.maximum(revenue, 1e5)

    rank = pop.weight.argsort().argsort() / max(n - 1, 1)
    capacity = np.where(rank > 0.75, "strong", np.where(rank > 0.3, "medium", "weak"))
    credit = np.where(pop.payer == "partial", _choice(rng, ["poor", "fair"], [0.6, 0.4], n),
                      np.where(pop.payer == "late", _choice(rng, ["fair", "good"], [0.6, 0.4], n),
                               _choice(rng, ["good", "fair"], [0.9, 0.1], n)))
    terms, pay_days = pop.terms, pop.pay_days
    credit_limit = np.where(pay_days > 0, np.maximum(_round(recent_sales * pay_days / 365 * 1.5, 1e4), 2e4), 0.0)
    source = np.where(pop.quiet, "agency", _choice(rng, ["visit", "self_filled", "agency"], [0.75, 0.15, 0.10], n))

    ownership = np.where(pop.shop, "individual", _choice(
        rng, ["private", "state", "collective", "foreign", "joint"], [0.85, 0.04, 0.02, 0.04, 0.05], n))
    org_form = np.where(pop.shop, "individual", np.where(np.char.endswith(name, "股份有限公司"), "joint_stock", "llc"))
    location = np.where(np.isin(pop.channel, ["chain", "franchise", "specialty"]),
                        _choice(rng, ["commercial", "residential", "transport"], [0.5, 0.4, 0.1], n),
                        _choice(rng, ["residential", "other", "transport", "commercial"], [0.45, 0.3, 0.15, 0.1], n))
    district_name = np.array([d.name for d in geo.DISTRICTS])[pop.district]
    wide = np.isin(pop.channel, ["wholesaler", "agent"])
    service = np.where(wide, np.array(["广州全市", "珠三角", "广州及周边"])[rng.integers(0, 3, n)],
                       np.char.add(district_name, "及周边"))
    attitude = np.where(status == "lost", _choice(rng, ["negative", "neutral"], [0.6, 0.4], n),
                        _choice(rng, ["positive", "neutral", "negative"], [0.6, 0.35, 0.05], n))
    competitor = np.where(status == "lost", "main",
                          _choice(rng, ["none", "some", "main"], [0.4, 0.45, 0.15], n))

    def only(mask: np.ndarray, values: np.ndarray) -> np.ndarray:
        out = values.astype(object)
        out[~mask] = None
        return out

    frame = pd.DataFrame({
        "customer_id": pop.ids,
        "name": name,
        "uscc": only(signed | traded | (rng.random(n) < 0.5), uscc),
        "address": geo.addresses(rng, pop.district),
        "phone": only(in_touch | traded | (rng.random(n) < 0.6), phones),
        "email": only(rng.random(n) < np.where(company, 0.75, 0.3), emails(rng, trade_py)),
        "owner": owner,
        "manager": only(company | (rng.random(n) < 0.5), manager),
        "legal_rep": only(signed | traded | (rng.random(n) < 0.4), rep),
        "founded": pd.to_datetime(founded),
        "first_trade": pd.to_datetime(np.where(traded, first_trade, np.datetime64("NaT"))),
        "org_form": org_form,
        "industry": np.where(np.isin(pop.channel, ["wholesaler", "agent"]), "批发业", "零售业"),
        "registered_capital": capital,
        "total_assets": only(signed | (rng.random(n) < 0.5), assets),
        "service_area": service,
        "sales_capacity": capacity,
        "growth_potential": _choice(rng, ["high", "medium", "low"], [0.25, 0.5, 0.25], n),
        "employees": employees,
        "annual_revenue": revenue,
        "competitor_relation": competitor,
        "cooperation_attitude": attitude,
        "credit_standing": only(traded, credit),
        "payment_terms": only(traded | in_touch, terms),
        "payment_days": only(traded | in_touch, pay_days),
        "credit_limit": only(traded | in_touch, credit_limit),
        "credit_problems": only(traded & (credit == "poor"), CREDIT_PROBLEMS[rng.integers(0, 4, n)]),
        "ownership_type": ownership,
        "channel_type": pop.channel,
        "location_type": location,
        "region": np.array([regions[i] for i in range(len(geo.DISTRICTS))])[pop.district],
        "lat": lat,
        "lon": lon,
        "salesperson_id": np.char.add("S", np.char.zfill((pop.owner + 1).astype(str), 2)),
        "status": status,
        "data_source": source,
        "audited": pd.array(np.where(source == "agency", rng.random(n) < 0.7, True), dtype="boolean"),
        "created": pd.to_datetime(created),
        "updated": pd.to_datetime(updated),
        "notes": only(rng.random(n) < 0.12, NOTES[rng.integers(0, len(NOTES), n)]),
    })
    for column in ("registered_capital", "total_assets", "annual_revenue", "payment_days", "credit_limit", "employees"):
        frame[column] = frame[column].astype(float)
    return frame


def contacts(rng: np.random.Generator, pop: Population, card: pd.DataFrame, mobiles: np.ndarray) -> pd.DataFrame:
    """One to three people per customer; prospects nobody has met have none."""
    n = len(pop.ids)
    signed_or_past = (pop.status == "active") | (pop.status == "lost")
    count = np.where(signed_or_past, rng.choice([1, 2, 3], size=n, p=[0.35, 0.4, 0.25]),
                     np.where(pop.status == "intent", rng.integers(1, 3, n), (rng.random(n) < 0.5).astype(int)))
    count[pop.quiet] = 0
    customer = np.repeat(np.arange(n), count)
    m = len(customer)
    first = np.r_[True, customer[1:] != customer[:-1]]
    person, pinyin = names.people(rng, m)
    shop = pop.shop[customer]
    person = np.where(first & shop, card["owner"].to_numpy()[customer], person)
    title = np.where(first, np.where(shop, TITLES_SHOP[rng.integers(0, 2, m)], TITLES_COMPANY[rng.integers(0, 2, m)]),
                     TITLES_OTHER[rng.integers(0, len(TITLES_OTHER), m)])
    phone = card["phone"].to_numpy()[customer]
    office_phone = np.where(pd.notna(phone) & np.char.startswith(phone.astype(str), "020-"), phone, None)
    birthday = np.datetime64("1965-01-01") + rng.integers(0, 30 * 365, m).astype("timedelta64[D]")

    def some(share: float, values: np.ndarray) -> np.ndarray:
        out = values.astype(object)
        out[rng.random(m) >= share] = None
        return out

    return pd.DataFrame({
        "contact_id": numbered("LX", np.arange(1, m + 1), 6),
        "customer_id": pop.ids[customer],
        "name": person,
        "title": title,
        "mobile": mobiles[:m],
        "office_phone": office_phone,
        "email": some(0.4, emails(rng, pinyin)),
        "key_person": first,
        "birthday": pd.to_datetime(some(0.4, birthday)),
        "hobbies": some(0.3, HOBBIES[rng.integers(0, len(HOBBIES), m)]),
        "family": some(0.2, FAMILY[rng.integers(0, len(FAMILY), m)]),
        "home_address": some(0.2, _homes(rng, pop.district[customer])),
        "notes": None,
    })
