"""The sales team and the customer population behind the cards.

`Population` holds, per customer, what the rest of the office is drawn from:
lifecycle status, district, owner, channel, purchase volume and the window
in which it orders. The card and contact tables are built from it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from salesxl.demo import geo, names
from salesxl.demo.days import Days
from salesxl.demo.identifiers import numbered

STATUS = np.array(["active", "intent", "prospect", "lost"])
STATUS_P = np.array([0.64, 0.08, 0.11, 0.17])
CHANNEL = np.array(["wholesaler", "retailer", "chain", "franchise", "agent", "specialty"])
CHANNEL_P = np.array([0.14, 0.34, 0.12, 0.10, 0.10, 0.20])
CHANNEL_VOLUME = np.array([3.0, 0.7, 2.5, 1.2, 2.0, 1.0])
SHOP_SHARE = np.array([0.05, 0.8, 0.05, 0.3, 0.05, 0.5])
PAYERS = np.array(["on_time", "late", "partial"])
PAYER_P = np.array([0.78, 0.14, 0.08])
TERMS = np.array(["credit", "prepaid", "cash", "consignment"])


@dataclass(frozen=True)
class Team:
    ids: np.ndarray
    names: np.ndarray
    territories: list[list[int]]  # district indices per salesperson
    max_visits: np.ndarray
    frame: pd.DataFrame


@dataclass
class Population:
    ids: np.ndarray
    status: np.ndarray
    district: np.ndarray
    owner: np.ndarray  # salesperson index
    channel: np.ndarray
    shop: np.ndarray  # individual business
    weight: np.ndarray  # relative purchase volume
    first_day: np.ndarray  # first day it may order (day number)
    last_day: np.ndarray  # last day it may order; -1 when it never traded
    created_day: np.ndarray  # day the card was opened (negative: before the data starts)
    payer: np.ndarray
    terms: np.ndarray  # payment terms code
    pay_days: np.ndarray  # days from invoice to due date
    quiet: np.ndarray  # surveyed lead nobody has contacted yet

    @property
    def traders(self) -> np.ndarray:
        return self.last_day >= 0


def team(rng: np.random.Generator, n: int, phones: np.ndarray, hire_before: np.datetime64) -> Team:
    ids = numbered("S", np.arange(1, n + 1), 2)
    person, pinyin = names.people(rng, n)
    groups = geo.territories(n)
    label = geo.territory_names(groups)
    region = np.array([label[g[0]] for g in groups])
    home = np.array([g[0] for g in groups])
    central = np.isin(home, [0, 1, 2, 3])
    lat, lon = geo.place(rng, home)
    base_address = np.where(central, geo.OFFICE[0], geo.addresses(rng, home, shops=False))
    max_visits = rng.integers(10, 13, n)
    hire = hire_before - rng.integers(60, 3650, n).astype("timedelta64[D]")
    frame = pd.DataFrame({
        "salesperson_id": ids,
        "name": person,
        "region": region,
        "phone": phones,
        "email": np.char.add(pinyin, "@suifeng-trading.cn"),
        "manager": np.where(np.arange(n) == 0, "", person[0]),
        "hire_date": hire,
        "base_address": base_address,
        "base_lat": np.where(central, geo.OFFICE[1], lat),
        "base_lon": np.where(central, geo.OFFICE[2], lon),
        "max_visits_per_day": max_visits,
        "active": np.ones(n, dtype=bool),
    })
    frame["manager"] = frame["manager"].replace("", None)
    return Team(ids, person, groups, max_visits, frame)


def population(rng: np.random.Generator, n: int, squad: Team, days: Days) -> Population:
    d = len(days.dates)
    shares = np.array([x.share for x in geo.DISTRICTS])
    district = rng.choice(len(shares), size=n, p=shares / shares.sum())
    owners_of = [[s for s, g in enumerate(squad.territories) if i in g] for i in range(len(shares))]
    pick = rng.random(n)
    owner = np.array([owners_of[k][int(p * len(owners_of[k]))] for k, p in zip(district, pick)])
    status = rng.choice(STATUS, size=n, p=STATUS_P)
    ch = rng.choice(len(CHANNEL), size=n, p=CHANNEL_P)
    channel = CHANNEL[ch]
    shop = rng.random(n) < SHOP_SHARE[ch]
    weight = rng.lognormal(0, 0.9, n) * CHANNEL_VOLUME[ch]

    first_day = np.full(n, d, dtype=int)
    last_day = np.full(n, -1, dtype=int)
    active = status == "active"
    lost = status == "lost"
    newcomer = rng.random(n) < 0.3
    first_day[active] = np.where(newcomer[active], rng.integers(0, d - 60, active.sum()), 0)
    last_day[active] = d - 1
    first_day[lost] = np.where(newcomer[lost], rng.integers(0, 90, lost.sum()), 0)
    last_day[lost] = rng.integers(150, d - 150, lost.sum())

    traded = last_day >= 0
    created_day = np.where(
        traded & (first_day > 0), first_day - rng.integers(10, 120, n),
        np.where(traded, -rng.integers(120, 3000, n), rng.integers(-400, d - 20, n)),
    )
    quiet = (status == "prospect") & (rng.random(n) < 0.4)
    payer = rng.choice(PAYERS, size=n, p=PAYER_P)
    terms = np.where(shop, TERMS[rng.choice(4, size=n, p=[0.3, 0.1, 0.6, 0.0])],
                     TERMS[rng.choice(4, size=n, p=[0.75, 0.07, 0.08, 0.10])])
    pay_days = np.where(terms == "credit", np.array([30, 45, 60, 90])[rng.integers(0, 4, n)],
                        np.where(terms == "consignment", 60, 0))
    return Population(numbered("C", np.arange(1, n + 1), 5), status, district, owner, channel, shop, weight,
                      first_day, last_day, created_day, payer, terms, pay_days, quiet)
