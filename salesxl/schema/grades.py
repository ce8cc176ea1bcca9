"""The customer grade: one type for every pass, setting and report that speaks of A/B/C/D."""

from __future__ import annotations

from enum import StrEnum


class Grade(StrEnum):
    """Composite grade, best first. A StrEnum, so `Grade.A == "A"` and frames may hold plain text."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"

    @property
    def rank(self) -> int:
        """0 for A, 3 for D: sort keys and 'at least as good as' comparisons."""
        return _RANK[self]

    @classmethod
    def parse(cls, value: object) -> "Grade | None":
        """A grade from cell text ("a", " B "), or None for anything else."""
        text = str(value).strip().upper() if value is not None else ""
        return cls(text) if text in _RANK else None


GRADES: tuple[Grade, ...] = tuple(Grade)
_RANK = {grade.value: index for index, grade in enumerate(Grade)}
