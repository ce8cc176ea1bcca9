"""Day regions (片区): a territory's customers cut into groups of about one working day's visits, and the
driving each group costs from a start point.

The rule book divides customers into regions, then each region into a visit
sequence. A region here is what one day of the week covers: the size-balanced
zones of `cluster.balanced_zones`, as many as the territory's weekly visits need
days. A region's drive is its closed tour (nearest neighbour, then 2-opt/or-opt)
plus the cheapest detour from the start point into it, so a far region costs its
round trip once a day, not once per customer: a salesperson can hold one far
region and some near ones for the driving of a middle territory.
"""

from __future__ import annotations

import math

import numpy as np

from salesxl.passes.routing.cluster import balanced_zones
from salesxl.passes.routing.improve import improve
from salesxl.passes.routing.solver import nearest_neighbour_tour


def split(xy: np.ndarray, weekly_visits: np.ndarray, day_visits: int) -> np.ndarray:
    """Region 0..r-1 per customer: as many regions as the weekly visits need days (near-equal sizes)."""
    if len(xy) == 0:
        return np.zeros(0, dtype=int)
    days = max(1, math.ceil(float(np.sum(weekly_visits)) / max(1, day_visits) - 1e-9))
    return balanced_zones(xy, min(days, len(xy)))


def closed_tour(xy: np.ndarray, road_factor: float) -> tuple[float, list[int]]:
    """Road km of a short closed tour through the points, and the tour."""
    if len(xy) < 2:
        return 0.0, list(range(len(xy)))
    d = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2)) * road_factor
    order = improve(d, nearest_neighbour_tour(d), kicks=0)
    nodes = np.asarray(order + order[:1])
    return float(d[nodes[:-1], nodes[1:]].sum()), order


def drive_km(xy: np.ndarray, starts: np.ndarray, road_factor: float) -> tuple[np.ndarray, list[int]]:
    """Road km of one day through the region's points from each start point (rows of `starts`) and back,
    and the order of the points on the closed tour."""
    _, order = closed_tour(xy, road_factor)
    return ring_km(xy[order], starts, road_factor), order


def ring_km(ring: np.ndarray, starts: np.ndarray, road_factor: float) -> np.ndarray:
    """Road km of the closed tour `ring` (points in visiting order) entered from each start point at its
    cheapest edge."""
    if len(ring) == 0:
        return np.zeros(len(starts))
    nxt = np.roll(ring, -1, axis=0)
    edge = np.sqrt(((ring - nxt) ** 2).sum(axis=1))
    to_a = np.sqrt(((starts[:, None, :] - ring[None, :, :]) ** 2).sum(axis=2))
    to_b = np.sqrt(((starts[:, None, :] - nxt[None, :, :]) ** 2).sum(axis=2))
    detour = (to_a + to_b - edge[None, :]).min(axis=1) if len(ring) > 1 else 2 * to_a[:, 0]
    return (edge.sum() + detour) * road_factor


def insertion_km(ring: np.ndarray, point: np.ndarray) -> tuple[float, int]:
    """Straight-line km added by putting `point` into the closed tour `ring`, and the position it takes."""
    if len(ring) == 0:
        return 0.0, 0
    nxt = np.roll(ring, -1, axis=0)
    extra = (np.sqrt(((ring - point) ** 2).sum(axis=1)) + np.sqrt(((nxt - point) ** 2).sum(axis=1))
             - np.sqrt(((ring - nxt) ** 2).sum(axis=1)))
    k = int(np.argmin(extra))
    return float(extra[k]), k + 1
