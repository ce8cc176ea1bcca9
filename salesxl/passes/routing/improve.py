"""Iterated local search on a closed tour: 2-opt and or-opt moves, local double-bridge kicks.

Moves look only at each stop's nearest neighbours and re-examine only the
stops a change touched, so one kick costs microseconds and a fixed number of
kicks with a seeded generator polishes any tour deterministically.
"""

from __future__ import annotations

from collections import deque

import numpy as np

NEIGHBOURS = 10
KICKS_PER_STOP = 10
MAX_KICK_SEGMENT = 30
EPS = 1e-9


class Tour:
    """A cyclic tour with positions, for in-place 2-opt and or-opt moves."""

    def __init__(self, d: list[list[float]], order: list[int], neighbours: list[list[int]]):
        self.d = d
        self.t = list(order)
        self.n = len(order)
        self.pos = [0] * self.n
        for i, c in enumerate(self.t):
            self.pos[c] = i
        self.nb = neighbours

    def succ(self, c: int) -> int:
        return self.t[(self.pos[c] + 1) % self.n]

    def pred(self, c: int) -> int:
        return self.t[self.pos[c] - 1]

    def reverse(self, a: int, b: int) -> None:
        """Reverse the path a..b (following the tour forward), or its complement if shorter."""
        i, j, n = self.pos[a], self.pos[b], self.n
        length = (j - i) % n + 1
        if 2 * length > n:
            i, j, length = (j + 1) % n, (i - 1) % n, n - length
        t, pos = self.t, self.pos
        for k in range(length // 2):
            x, y = (i + k) % n, (j - k) % n
            t[x], t[y] = t[y], t[x]
            pos[t[x]], pos[t[y]] = x, y

    def two_opt(self, a: int) -> list[int] | None:
        d = self.d
        for forward in (True, False):
            b = self.succ(a) if forward else self.pred(a)
            dab = d[a][b]
            for c in self.nb[a]:
                g1 = dab - d[a][c]
                if g1 <= EPS:
                    break
                e = self.succ(c) if forward else self.pred(c)
                if c == b or e == a:
                    continue
                if g1 + d[c][e] - d[b][e] > EPS:
                    if forward:
                        self.reverse(b, c)
                    else:
                        self.reverse(c, b)
                    return [a, b, c, e]
        return None

    def or_opt(self, a: int) -> list[int] | None:
        d, n = self.d, self.n
        for length in (1, 2, 3):
            if n < length + 3:
                break
            seg = [self.t[(self.pos[a] + k) % n] for k in range(length)]
            s1, s2 = seg[0], seg[-1]
            p, x = self.pred(s1), self.succ(s2)
            gain = d[p][s1] + d[s2][x] - d[p][x]
            if gain <= EPS:
                continue
            inside = set(seg)
            for end in (s1, s2):
                for c in self.nb[end]:
                    if d[end][c] >= gain:
                        break
                    if c in inside:
                        continue
                    for u, v in ((self.pred(c), c), (c, self.succ(c))):
                        if u in inside or v in inside:
                            continue
                        keep = d[u][s1] + d[s2][v] - d[u][v]
                        flip = d[u][s2] + d[s1][v] - d[u][v]
                        if min(keep, flip) < gain - EPS:
                            self._move(seg, u, flip < keep)
                            return [p, x, u, v, s1, s2]
        return None

    def _move(self, seg: list[int], u: int, flip: bool) -> None:
        inside = set(seg)
        rest = [c for c in self.t if c not in inside]
        k = rest.index(u)
        self.t = rest[: k + 1] + (seg[::-1] if flip else seg) + rest[k + 1 :]
        for i, c in enumerate(self.t):
            self.pos[c] = i

    def length(self) -> float:
        return sum(self.d[self.t[i - 1]][self.t[i]] for i in range(self.n))

    def descend(self, dirty: list[int]) -> None:
        """Apply improving moves around `dirty` stops until none is left."""
        queue, queued = deque(dirty), set(dirty)
        while queue:
            a = queue.popleft()
            queued.discard(a)
            touched = self.two_opt(a) or self.or_opt(a)
            if touched:
                for c in touched + [a]:
                    if c not in queued:
                        queue.append(c)
                        queued.add(c)

    def kick(self, rng: np.random.Generator) -> list[int]:
        """Swap two short neighbouring segments (a local double bridge); returns the touched stops."""
        n = self.n
        span = max(1, min(MAX_KICK_SEGMENT, (n - 2) // 3))
        b_len, c_len = int(rng.integers(1, span + 1)), int(rng.integers(1, span + 1))
        start = int(rng.integers(n))
        t = self.t[start:] + self.t[:start]
        head, b, c, rest = t[0], t[1 : 1 + b_len], t[1 + b_len : 1 + b_len + c_len], t[1 + b_len + c_len :]
        self.t = [head] + c + b + rest
        for i, s in enumerate(self.t):
            self.pos[s] = i
        return [head, b[0], b[-1], c[0], c[-1]] + rest[:1]


def improve(matrix: np.ndarray, order: list[int], seed: int = 0, kicks: int | None = None) -> list[int]:
    """A tour at least as short as `order`, still starting at its first node."""
    n = len(order)
    if n < 5:
        return list(order)
    d = np.asarray(matrix, dtype=np.float64)
    ranked = np.argsort(d + np.diag(np.full(n, np.inf)), axis=1, kind="stable")[:, : min(NEIGHBOURS, n - 1)]
    tour = Tour(d.tolist(), order, ranked.tolist())
    tour.descend(list(order))
    best, best_len = list(tour.t), tour.length()
    rng = np.random.default_rng(seed)
    for _ in range(KICKS_PER_STOP * n if kicks is None else kicks):
        tour.descend(tour.kick(rng))
        length = tour.length()
        if length < best_len - EPS:
            best, best_len = list(tour.t), length
        else:
            tour = Tour(tour.d, best, tour.nb)
    start = best.index(order[0])
    return best[start:] + best[:start]
