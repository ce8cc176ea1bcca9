"""One interface for ordering a day's stops: VROOM, OR-Tools or plain numpy.

`solve_tour(matrix)` takes a square matrix of whole metres whose node 0 is the
start point and returns the visiting order of every node, starting with 0 and
ending before the return to 0. A method builds a first tour (VROOM, OR-Tools
cheapest arc + greedy descent, or nearest neighbour with numpy) and the same
seeded iterated local search polishes it. Every method is deterministic: one
thread, a fixed exploration level, a fixed number of kicks. OR-Tools' descent
also stops at a time limit, which only a tour of hundreds of stops ever reaches
(a day route of 25 stops takes milliseconds), so a long tour cannot hang a run.
The numpy method needs no routing library at all.
"""

from __future__ import annotations

import importlib.util
from typing import Callable

import numpy as np

from salesxl.passes.routing.improve import improve

METHODS = ("auto", "vroom", "ortools", "numpy")
VROOM_EXPLORATION = 5
ORTOOLS_TIME_LIMIT_S = 5.0  # ceiling for OR-Tools' first tour; the local search polishes whatever it returns


def available(method: str) -> bool:
    """Whether the library behind `method` can be imported here."""
    module = {"vroom": "vroom", "ortools": "ortools"}.get(method)
    return module is None or importlib.util.find_spec(module) is not None


def resolve(method: str) -> str:
    """The method that will run: `auto` (or one not installed) falls back vroom → ortools → numpy."""
    if method != "auto" and available(method):
        return method
    return next(m for m in ("vroom", "ortools", "numpy") if available(m))


def solve_tour(matrix: np.ndarray, method: str = "auto") -> list[int]:
    """Closed tour from node 0 through every node of `matrix` (whole metres), as node indices."""
    n = len(matrix)
    if n <= 3:
        return list(range(n))
    matrix = np.asarray(matrix, dtype=np.int64)
    return improve(matrix, _SOLVERS[resolve(method)](matrix))


def tour_length(matrix: np.ndarray, order: list[int]) -> float:
    """Length of the closed tour `order` (back to its first node)."""
    idx = np.asarray(order)
    return float(matrix[idx, np.roll(idx, -1)].sum())


def vroom_tour(matrix: np.ndarray) -> list[int]:
    import vroom

    problem = vroom.Input()
    problem.set_durations_matrix(profile="car", matrix_input=matrix)
    # max_distance=None: the default (2**32-1) counts as a limit and disables VROOM's TSP solver.
    problem.add_vehicle(vroom.Vehicle(0, start=0, end=0, max_distance=None))
    problem.add_job([vroom.Job(i, location=i) for i in range(1, len(matrix))])
    routes = problem.solve(exploration_level=VROOM_EXPLORATION, nb_threads=1).routes
    return [0] + [int(i) for i in routes.loc[routes["type"] == "job", "id"]]


def ortools_parameters(time_limit_s: float | None = None):
    """Cheapest arc then greedy descent, stopped at ORTOOLS_TIME_LIMIT_S; guided local search for
    `time_limit_s` when given one."""
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    heuristics = routing_enums_pb2.LocalSearchMetaheuristic
    params.local_search_metaheuristic = heuristics.GREEDY_DESCENT if time_limit_s is None \
        else heuristics.GUIDED_LOCAL_SEARCH
    params.time_limit.FromMilliseconds(int(1000 * (ORTOOLS_TIME_LIMIT_S if time_limit_s is None else time_limit_s)))
    return params


def ortools_tour(matrix: np.ndarray, time_limit_s: float | None = None) -> list[int]:
    """OR-Tools' tour under `ortools_parameters` (always time-limited)."""
    from ortools.constraint_solver import pywrapcp

    manager = pywrapcp.RoutingIndexManager(len(matrix), 1, 0)
    routing = pywrapcp.RoutingModel(manager)
    transit = routing.RegisterTransitMatrix(matrix.tolist())
    routing.SetArcCostEvaluatorOfAllVehicles(transit)
    solution = routing.SolveWithParameters(ortools_parameters(time_limit_s))
    order, index = [], routing.Start(0)
    while not routing.IsEnd(index):
        order.append(manager.IndexToNode(index))
        index = solution.Value(routing.NextVar(index))
    return order


def nearest_neighbour_tour(matrix: np.ndarray) -> list[int]:
    """Always on to the closest stop not yet visited, from node 0."""
    n = len(matrix)
    tour = [0]
    free = np.ones(n, dtype=bool)
    free[0] = False
    for _ in range(n - 1):
        row = np.where(free, matrix[tour[-1]], np.iinfo(np.int64).max)
        nxt = int(np.argmin(row))
        tour.append(nxt)
        free[nxt] = False
    return tour


_SOLVERS: dict[str, Callable[[np.ndarray], list[int]]] = {
    "vroom": vroom_tour,
    "ortools": ortools_tour,
    "numpy": nearest_neighbour_tour,
}
