"""Guangzhou for the demo office: its districts, their business hubs and streets.

Customers cluster around real hubs so that maps and visit routes look like the
city; coordinates are WGS-84 degrees, addresses read like 广州市天河区天河路385号.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Guangzhou's bounding box (lat min, lat max, lon min, lon max).
BOUNDS = (22.56, 23.94, 112.95, 114.06)


@dataclass(frozen=True)
class District:
    name: str  # 天河区
    division: str  # administrative division code, part of every local USCC
    share: float  # share of the office's customers
    spread: float  # standard deviation of customers around a hub, degrees
    hubs: tuple[tuple[float, float], ...]  # (lat, lon) business centres; the first is the district centre
    streets: tuple[str, ...]


DISTRICTS: tuple[District, ...] = (
    District("天河区", "440106", 0.14, 0.012, ((23.1247, 113.3612), (23.1365, 113.3219), (23.1200, 113.3230), (23.1310, 113.3900)),
             ("天河路", "天河北路", "体育西路", "黄埔大道西", "中山大道西", "林和西路", "花城大道", "五山路", "龙口西路", "华夏路")),
    District("越秀区", "440104", 0.12, 0.008, ((23.1290, 113.2668), (23.1255, 113.2690), (23.1400, 113.2870)),
             ("中山五路", "北京路", "东风中路", "环市东路", "解放北路", "农林下路", "越秀南路", "人民中路", "文明路")),
    District("海珠区", "440105", 0.13, 0.010, ((23.0838, 113.3172), (23.0950, 113.2700), (23.0980, 113.3700)),
             ("江南大道中", "新港中路", "工业大道北", "昌岗中路", "宝岗大道", "琶洲大道", "南洲路", "江燕路")),
    District("荔湾区", "440103", 0.12, 0.009, ((23.1259, 113.2442), (23.1180, 113.2480), (23.0880, 113.2350)),
             ("中山八路", "康王中路", "芳村大道中", "花地大道", "龙津西路", "黄沙大道", "荔湾路", "西华路")),
    District("白云区", "440111", 0.12, 0.018, ((23.1579, 113.2731), (23.1950, 113.3200), (23.2400, 113.2800), (23.3000, 113.3400)),
             ("白云大道北", "机场路", "广园中路", "增槎路", "同和路", "云城东路", "广从路", "石井大道")),
    District("黄埔区", "440112", 0.08, 0.015, ((23.1815, 113.4806), (23.1050, 113.4600), (23.1700, 113.4500), (23.0900, 113.5100)),
             ("开创大道", "科学大道", "黄埔东路", "香雪大道", "大沙地东", "开发大道", "丰乐北路")),
    District("番禺区", "440113", 0.10, 0.016, ((22.9377, 113.3846), (22.9420, 113.3650), (23.0000, 113.3400), (23.0050, 113.3950)),
             ("光明北路", "迎宾路", "汉溪大道", "兴南大道", "番禺大道北", "亚运大道", "福德路", "清河东路")),
    District("花都区", "440114", 0.10, 0.018, ((23.4040, 113.2204), (23.3930, 113.2150), (23.4600, 113.1550)),
             ("迎宾大道", "凤凰北路", "公益大道", "建设北路", "新华路", "天贵路")),
    District("南沙区", "440115", 0.03, 0.018, ((22.8016, 113.5253), (22.8300, 113.5000)),
             ("进港大道", "环市大道", "黄阁大道", "金隆路", "蕉门路", "海滨路")),
    District("从化区", "440117", 0.015, 0.015, ((23.5486, 113.5867),),
             ("河滨北路", "新城路", "中田路", "青云路", "广从南路")),
    District("增城区", "440118", 0.03, 0.020, ((23.2610, 113.8109), (23.2900, 113.8100), (23.1300, 113.6200)),
             ("荔城大道", "增城大道", "港口大道", "府佑路", "挂绿路", "新塘大道")),
)

#: The office itself: where the salespeople of the central districts start their rounds.
OFFICE = ("广州市天河区体育西路191号中石化大厦18楼", 23.1372, 113.3218)

#: Old or neighbouring district names that people still type but that no salesperson owns.
OLD_REGIONS = ("东山区", "芳村区", "萝岗区", "佛山南海", "广州", "天河")

#: Districts that a salesperson takes on together when the team is smaller than the city.
PAIRS = (("黄埔区", "增城区"), ("番禺区", "南沙区"), ("花都区", "从化区"))

_BY_NAME = {d.name: i for i, d in enumerate(DISTRICTS)}


def territories(n: int) -> list[list[int]]:
    """District indices per salesperson: neighbours paired for small teams, shared for large ones."""
    k = len(DISTRICTS)
    if n >= k:
        shares = np.array([d.share for d in DISTRICTS])
        seats = np.ones(k, dtype=int)
        extra = n - k
        quota = shares / shares.sum() * extra
        seats += np.floor(quota).astype(int)
        order = np.argsort(-(quota - np.floor(quota)), kind="stable")
        seats[order[: n - seats.sum()]] += 1
        return [[i] for i in range(k) for _ in range(seats[i])]
    merges = k - n
    if merges > len(PAIRS):
        raise ValueError(f"a team of {n} cannot cover {k} districts")
    paired = {_BY_NAME[b]: _BY_NAME[a] for a, b in PAIRS[:merges]}
    groups: dict[int, list[int]] = {}
    for i in range(k):
        groups.setdefault(paired.get(i, i), []).append(i)
    return list(groups.values())


def territory_names(groups: list[list[int]]) -> dict[int, str]:
    """District index -> the region name salespeople and cards use: 天河区, or 黄埔/增城 for a pair."""
    names = {}
    for group in groups:
        label = DISTRICTS[group[0]].name if len(group) == 1 else "/".join(DISTRICTS[i].name[:-1] for i in group)
        names.update({i: label for i in group})
    return names


def place(rng: np.random.Generator, district: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Coordinates near one of each district's hubs (inside Guangzhou)."""
    n = len(district)
    hub = np.floor(rng.random(n) * np.array([len(d.hubs) for d in DISTRICTS])[district]).astype(int)
    hubs = np.array([h for d in DISTRICTS for h in d.hubs])
    offsets = np.cumsum([0] + [len(d.hubs) for d in DISTRICTS])[:-1]
    centre = hubs[offsets[district] + hub]
    spread = np.array([d.spread for d in DISTRICTS])[district]
    lat = np.clip(centre[:, 0] + rng.normal(0, 1, n) * spread, BOUNDS[0] + 0.01, BOUNDS[1] - 0.01)
    lon = np.clip(centre[:, 1] + rng.normal(0, 1, n) * spread * 1.1, BOUNDS[2] + 0.01, BOUNDS[3] - 0.01)
    return np.round(lat, 6), np.round(lon, 6)


def addresses(rng: np.random.Generator, district: np.ndarray, *, shops: bool = True) -> np.ndarray:
    """Street addresses such as 广州市天河区天河路385号, some with a shop or floor."""
    n = len(district)
    counts = np.array([len(d.streets) for d in DISTRICTS])
    street_no = np.floor(rng.random(n) * counts[district]).astype(int)
    streets = np.array([f"广州市{d.name}{s}" for d in DISTRICTS for s in d.streets])
    offsets = np.cumsum([0] + list(counts))[:-1]
    base = streets[offsets[district] + street_no]
    number = rng.integers(1, 900, n).astype(str)
    out = np.char.add(np.char.add(base, number), "号")
    if shops:
        tail = np.array(["", "", "", "首层", "101铺", "2楼", "之一", "B座12楼"])
        out = np.char.add(out, tail[rng.integers(0, len(tail), n)])
    return out
