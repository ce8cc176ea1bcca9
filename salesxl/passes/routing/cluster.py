"""Regions for customers whose region is blank: the nearest region of their salesperson, or balanced zones.

Zones come from a size-constrained k-means (each zone holds at most its fair
share of customers), seeded by a sweep around the centre, so a rerun on the
same data gives the same zones.
"""

from __future__ import annotations

import numpy as np

ITERATIONS = 25


def local_xy(lat: np.ndarray, lon: np.ndarray, lat0: float, lon0: float) -> np.ndarray:
    """Kilometres east and north of (lat0, lon0) on a flat local map."""
    return np.column_stack([(lon - lon0) * 111.32 * np.cos(np.radians(lat0)), (lat - lat0) * 110.57])


def balanced_zones(xy: np.ndarray, k: int) -> np.ndarray:
    """Zone 0..k-1 per point, zones of near-equal size, numbered by angle around the centre."""
    n = len(xy)
    k = max(1, min(k, n))
    if n == 0:
        return np.zeros(0, dtype=int)
    centre = xy.mean(axis=0)
    angle = np.arctan2(xy[:, 1] - centre[1], xy[:, 0] - centre[0])
    labels = np.empty(n, dtype=int)
    labels[np.argsort(angle, kind="stable")] = np.arange(n) * k // n
    capacity = -(-n // k)
    for _ in range(ITERATIONS):
        centres = np.array([xy[labels == z].mean(axis=0) for z in range(k)])
        dist = ((xy[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
        ranked = np.sort(dist, axis=1)
        regret = ranked[:, 1] - ranked[:, 0] if k > 1 else np.zeros(n)
        new = np.empty(n, dtype=int)
        room = np.full(k, capacity)
        for i in np.lexsort((np.arange(n), -regret)):
            zone = next(z for z in np.argsort(dist[i], kind="stable") if room[z] > 0)
            new[i] = zone
            room[zone] -= 1
        if np.array_equal(new, labels):
            break
        labels = new
    centres = np.array([xy[labels == z].mean(axis=0) for z in range(k)])
    order = np.argsort(np.arctan2(centres[:, 1] - centre[1], centres[:, 0] - centre[0]), kind="stable")
    rank = np.empty(k, dtype=int)
    rank[order] = np.arange(k)
    return rank[labels]


def fill_regions(regions: list[str | None], xy: np.ndarray, zone_name: str, k: int) -> list[str]:
    """Blank regions take the nearest named region's centre; with no named region, balanced zones."""
    named = sorted({r for r in regions if r})
    blank = [i for i, r in enumerate(regions) if not r]
    filled = list(regions)
    if not blank:
        return filled
    if named:
        centres = np.array([xy[[i for i, r in enumerate(regions) if r == name]].mean(axis=0) for name in named])
        for i in blank:
            filled[i] = named[int(np.argmin(((centres - xy[i]) ** 2).sum(axis=1)))]
        return filled
    zones = balanced_zones(xy[blank], k)
    for i, zone in zip(blank, zones):
        filled[i] = zone_name.format(n=int(zone) + 1)
    return filled
