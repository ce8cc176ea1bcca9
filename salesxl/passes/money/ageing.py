"""Ageing buckets and dunning levels: how late money is, in the words of Settings.

Buckets come from ascending day limits, e.g. "0,30,60,90,180": an amount
`days` old falls in the first bucket whose limit is at least `days`, and in
the last bucket ("over 180") beyond every limit. With limit 0 first and the
due-date basis, the first bucket is "current" (not yet due).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from salesxl.core.issues import Lang

#: Dunning levels from mildest to strongest (their day thresholds: `MoneySettings.dunning_thresholds`).
DUNNING_LEVELS = ("reminder", "second", "final", "agency")
LEVEL_NAMES: dict[Lang, tuple[str, ...]] = {
    "zh": ("逾期观察", "付款提醒", "二次催款", "最后通知", "委外催收"),
    "en": ("Watch", "Reminder", "Second notice", "Final letter", "Collection agency"),
}
ACTIONS: dict[Lang, tuple[str, ...]] = {
    "zh": ("电话确认付款日期", "发送付款提醒（短信/微信/邮件）", "发第二次催款通知，销售员上门催收",
           "发最后催款函，暂停发货和赊销", "移交催收机构或法律程序，停止一切赊销"),
    "en": ("Call to confirm the payment date", "Send a payment reminder (text, WeChat or e-mail)",
           "Send a second notice and visit to collect", "Send the final letter; stop deliveries and credit",
           "Hand over to a collection agency or lawyer; no more credit"),
}


def bucket_of(days: Sequence[int] | np.ndarray, edges: Sequence[int]) -> np.ndarray:
    """Bucket index per age in days: 0 for days <= edges[0], len(edges) beyond the last limit."""
    return np.searchsorted(np.asarray(edges), np.asarray(days, dtype="int64"), side="left")


def bucket_labels(edges: Sequence[int], basis: str, lang: Lang) -> list[str]:
    """"未到期, 1–30天, …, 180天以上" / "Current, 1–30 days, …, over 180 days"."""
    zh = lang == "zh"
    first = edges[0]
    if basis == "due" and first == 0:
        labels = ["未到期" if zh else "Current"]
    else:
        labels = [f"≤{first}天" if zh else f"≤{first} days"]
    labels += [f"{a + 1}–{b}天" if zh else f"{a + 1}–{b} days" for a, b in zip(edges, edges[1:])]
    labels.append(f"{edges[-1]}天以上" if zh else f"over {edges[-1]} days")
    return labels


def dunning_level(days_past_due: int, thresholds: Sequence[int]) -> int:
    """0 (overdue, below every threshold) up to len(thresholds): the strongest level whose days are reached."""
    return max((i + 1 for i, limit in enumerate(thresholds) if days_past_due >= limit), default=0)
