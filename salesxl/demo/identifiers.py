"""Registration numbers, phone numbers, e-mail addresses and row IDs of the demo office.

USCCs carry real check characters (GB 32100-2015 over an organisation code
with its own GB 11714 check digit); phone numbers are unique so that two cards
only share one when a duplicate is planted.
"""

from __future__ import annotations

import numpy as np

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = np.array([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28])
_ORG_WEIGHTS = np.array([3, 7, 9, 10, 5, 8, 4, 2])
_ALPHA = np.array(list(USCC_ALPHABET))
_VALUE = {ch: i for i, ch in enumerate(USCC_ALPHABET)}


def numbered(prefix: str, numbers: np.ndarray, width: int) -> np.ndarray:
    """IDs such as C00001 from integers."""
    return np.char.add(prefix, np.char.zfill(np.asarray(numbers).astype(str), width))


def uscc_check(first17: str) -> str:
    """The GB 32100-2015 check character of the first 17 characters."""
    total = sum(_VALUE[ch] * w for ch, w in zip(first17, USCC_WEIGHTS))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def usccs(rng: np.random.Generator, division: np.ndarray, individual: np.ndarray) -> np.ndarray:
    """Valid, distinct USCCs: 91 (company) or 92 (individual business) + division + organisation code + check."""
    n = len(division)
    # organisation code: "MA" + 6 characters (newer registrations) or 8 digits, then its GB 11714 check digit
    modern = rng.random(n) < 0.6
    body = np.where(modern[:, None], rng.integers(0, 31, (n, 8)), rng.integers(0, 10, (n, 8)))
    body[modern, 0], body[modern, 1] = _VALUE["M"], _VALUE["A"]
    letters = np.array([ord(ch) - 55 if ch.isalpha() else int(ch) for ch in USCC_ALPHABET])  # A=10 ... Z=35
    org_check = 11 - (letters[body] * _ORG_WEIGHTS).sum(axis=1) % 11
    org_value = np.where(org_check == 10, _VALUE["X"], org_check % 11)
    digits = np.asarray(division).astype(int)[:, None] // 10 ** np.arange(5, -1, -1) % 10
    values = np.column_stack([np.full(n, 9), np.where(individual, 2, 1), digits, body, org_value])
    check = (31 - (values * USCC_WEIGHTS).sum(axis=1) % 31) % 31
    codes = np.ascontiguousarray(_ALPHA[np.column_stack([values, check])]).view("<U18").ravel()
    if len(np.unique(codes)) < n:
        raise AssertionError("USCC collision; choose another seed")
    return codes


def _unique_numbers(rng: np.random.Generator, low: int, high: int, n: int) -> np.ndarray:
    return low + rng.choice(high - low, size=n, replace=False)


def mobiles(rng: np.random.Generator, n: int) -> np.ndarray:
    """Distinct mainland mobiles such as 13812345678."""
    prefixes = np.array(["130", "131", "133", "135", "136", "137", "138", "139", "150", "152", "155", "158",
                         "159", "166", "176", "177", "180", "186", "188", "189", "198", "199"])
    numbers = _unique_numbers(rng, 0, 10**8, n)
    prefix = prefixes[numbers % len(prefixes)]
    return np.char.add(prefix, np.char.zfill(numbers.astype(str), 8))


def landlines(rng: np.random.Generator, n: int) -> np.ndarray:
    """Distinct Guangzhou landlines such as 020-87654321."""
    numbers = _unique_numbers(rng, 0, 2 * 10**7, n)
    first = np.where(numbers < 10**7, "8", "3")
    return np.char.add(np.char.add("020-", first), np.char.zfill((numbers % 10**7).astype(str), 7))


def emails(rng: np.random.Generator, local: np.ndarray) -> np.ndarray:
    """Addresses at the mail providers people in Guangzhou use."""
    domains = np.array(["@163.com", "@qq.com", "@126.com", "@139.com", "@sina.com", "@foxmail.com"])
    digits = rng.integers(10, 999, len(local)).astype(str)
    return np.char.add(np.char.add(local, digits), domains[rng.integers(0, len(domains), len(local))])
