"""The visit daily reports: 20–40 visits per salesperson per week, on working days.

Salespeople visit their own customers, mostly the active and promising ones;
every active customer has been seen in the last few months (a planted defect
takes that away from some). A few visits are urgent and wait for follow-up.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from salesxl.demo.days import Days
from salesxl.demo.identifiers import numbered
from salesxl.demo.people import Population, Team

RECENT_DAYS = 80  # every active customer has a visit at least this recent
VISIT_TYPES = np.array(["onsite", "phone", "online", "event"])
PURPOSE_ACTIVE = np.array(["例行拜访", "新品推介", "催收货款", "促销活动沟通", "库存盘点", "客情维护", "对账", "签订合同"])
PURPOSE_NEW = np.array(["初次拜访", "产品介绍", "商务洽谈", "送样品", "报价"])
PURPOSE_LOST = np.array(["客户回访", "了解流失原因", "挽回合作"])
RESULT_ACTIVE = np.array(["补货需求已登记", "客户反馈良好", "约定下周送货", "对账完成", "提出价格异议", "库存充足暂不补货"])
RESULT_NEW = np.array(["有合作意向", "需要报价", "暂无需求", "要求试销", "正在比较竞品", "约见老板"])
NEXT_STEPS = np.array(["一周后回访", "送样品", "发报价单", "安排送货", "跟进回款", "邀请参加订货会", "电话跟进"])
URGENT = np.array(["complaint", "credit", "competitor", "other"])


def visits(rng: np.random.Generator, pop: Population, squad: Team, days: Days,
           contact_customer: np.ndarray, contact_ids: np.ndarray) -> pd.DataFrame:
    d = len(days.dates)
    n = len(pop.ids)
    work = np.flatnonzero(days.working)
    n_sp = len(squad.ids)

    # how many visits each salesperson makes on each working day
    rate = rng.uniform(5.5, 9.0, n_sp)
    count = np.minimum(rng.poisson(np.outer(rate, np.ones(len(work)))), squad.max_visits[:, None])
    sp = np.repeat(np.repeat(np.arange(n_sp), len(work)), count.ravel())
    day = np.repeat(np.tile(work, n_sp), count.ravel())

    # whom: the salesperson's own customers, weighted by promise and volume
    appeal = np.select([pop.status == "active", pop.status == "intent", pop.status == "prospect"],
                       [1 + np.sqrt(pop.weight), 3.0, 0.6], 0.3)
    appeal[pop.quiet] = 0.0
    by_owner = np.argsort(pop.owner, kind="stable")
    cw = np.cumsum(appeal[by_owner])
    bounds = np.searchsorted(pop.owner[by_owner], np.arange(n_sp + 1))
    lo = np.r_[0.0, cw][bounds[:-1]]
    hi = np.r_[0.0, cw][bounds[1:]]
    u = lo[sp] + rng.random(len(sp)) * (hi[sp] - lo[sp])
    customer = by_owner[np.minimum(np.searchsorted(cw, u, side="right"), n - 1)]
    lost_gone = (pop.status[customer] == "lost") & (day > pop.last_day[customer] + 20)
    keep = (day >= pop.created_day[customer]) & ~lost_gone & (pop.owner[customer] == sp)
    sp, day, customer = sp[keep], day[keep], customer[keep]

    # every active customer seen recently
    seen = np.zeros(n, dtype=bool)
    seen[customer[day >= d - RECENT_DAYS]] = True
    missing = np.flatnonzero((pop.status == "active") & ~seen)
    extra_day = days.workday_on_or_after(d - RECENT_DAYS + rng.integers(0, RECENT_DAYS - 5, len(missing)))
    sp = np.r_[sp, pop.owner[missing]]
    day = np.r_[day, extra_day]
    customer = np.r_[customer, missing]
    order = np.lexsort((customer, sp, day))
    sp, day, customer = sp[order], day[order], customer[order]
    m = len(day)

    status = pop.status[customer]
    active = status == "active"
    new = (status == "intent") | (status == "prospect")
    kind = VISIT_TYPES[rng.choice(4, size=m, p=[0.65, 0.2, 0.12, 0.03])]
    taken = active & (kind != "event") & (rng.random(m) < 0.3)
    purpose = np.where(active, PURPOSE_ACTIVE[rng.integers(0, len(PURPOSE_ACTIVE), m)],
                       np.where(new, PURPOSE_NEW[rng.integers(0, len(PURPOSE_NEW), m)],
                                PURPOSE_LOST[rng.integers(0, len(PURPOSE_LOST), m)]))
    result = np.where(taken, "已下单", np.where(active, RESULT_ACTIVE[rng.integers(0, len(RESULT_ACTIVE), m)],
                                                 RESULT_NEW[rng.integers(0, len(RESULT_NEW), m)]))
    intent = np.where(new, np.array(["high", "medium", "low"])[rng.choice(3, size=m, p=[0.2, 0.5, 0.3])], None)
    planned = rng.random(m) < 0.75
    next_day = day + rng.integers(7, 31, m)
    urgent = rng.random(m) < 0.025
    followed = np.where(urgent, (d - day > 10) | (rng.random(m) < 0.5), None)

    # a contact of the visited customer, when one is known
    first = np.searchsorted(contact_customer, customer)
    known = np.searchsorted(contact_customer, customer, side="right") - first
    pick = first + np.floor(rng.random(m) * known).astype(int)
    contact = np.where((known > 0) & (rng.random(m) < 0.85), contact_ids[np.minimum(pick, len(contact_ids) - 1)], None)

    start = days.start
    return pd.DataFrame({
        "visit_id": numbered("V", np.arange(1, m + 1), 7),
        "date": pd.to_datetime(days.dates[day]),
        "salesperson_id": squad.ids[sp],
        "customer_id": pop.ids[customer],
        "contact_id": contact,
        "visit_type": kind,
        "purpose": purpose,
        "result": result,
        "intent_level": intent,
        "order_taken": taken,
        "next_step": np.where(planned, NEXT_STEPS[rng.integers(0, len(NEXT_STEPS), m)], None),
        "next_date": pd.to_datetime(np.where(planned, start + next_day.astype("timedelta64[D]"), np.datetime64("NaT"))),
        "urgent": urgent,
        "urgent_type": np.where(urgent, URGENT[rng.integers(0, len(URGENT), m)], None),
        "followed_up": pd.array(followed, dtype="boolean"),
    })
