"""Distances on the ground: haversine kilometres, stretched by a road-circuity factor."""

from __future__ import annotations

import numpy as np

EARTH_RADIUS_KM = 6371.0088


def haversine_matrix(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Great-circle kilometres between every pair of points (degrees in, square matrix out)."""
    phi = np.radians(np.asarray(lat, dtype=float))
    lam = np.radians(np.asarray(lon, dtype=float))
    dphi = phi[:, None] - phi[None, :]
    dlam = lam[:, None] - lam[None, :]
    a = np.sin(dphi / 2) ** 2 + np.cos(phi)[:, None] * np.cos(phi)[None, :] * np.sin(dlam / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def road_matrix(lat: np.ndarray, lon: np.ndarray, factor: float) -> np.ndarray:
    """Estimated road kilometres: straight-line distance times the circuity factor."""
    return haversine_matrix(lat, lon) * factor


def metres(km: np.ndarray) -> np.ndarray:
    """Whole metres, the integer costs the solvers work with."""
    return np.rint(np.asarray(km) * 1000).astype(np.int64)


def bearing(lat0: float, lon0: float, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Angle (radians, -pi..pi) of each point seen from (lat0, lon0) on a local flat map."""
    dy = np.asarray(lat, dtype=float) - lat0
    dx = (np.asarray(lon, dtype=float) - lon0) * np.cos(np.radians(lat0))
    return np.arctan2(dy, dx)
