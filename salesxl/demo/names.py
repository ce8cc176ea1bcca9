"""Chinese person and company names (with pinyin for e-mail addresses).

Company names are built from a trade name (字号), a business word and a legal
form; each (trade name, business word) pair is used once, so two cards only
share a normalised name when a duplicate is planted on purpose.
"""

from __future__ import annotations

import numpy as np

SURNAMES = (
    ("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"), ("杨", "yang"), ("黄", "huang"),
    ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"), ("徐", "xu"), ("孙", "sun"), ("马", "ma"), ("朱", "zhu"),
    ("胡", "hu"), ("郭", "guo"), ("何", "he"), ("林", "lin"), ("罗", "luo"), ("郑", "zheng"), ("梁", "liang"),
    ("谢", "xie"), ("宋", "song"), ("唐", "tang"), ("许", "xu"), ("邓", "deng"), ("冯", "feng"), ("曾", "zeng"),
    ("彭", "peng"), ("萧", "xiao"), ("蔡", "cai"), ("潘", "pan"), ("卢", "lu"), ("钟", "zhong"), ("叶", "ye"),
    ("苏", "su"), ("袁", "yuan"), ("区", "ou"), ("麦", "mai"), ("关", "guan"), ("莫", "mo"), ("邱", "qiu"),
    ("余", "yu"), ("谭", "tan"), ("廖", "liao"), ("冼", "xian"), ("温", "wen"), ("邝", "kuang"),
)
GIVEN = (
    ("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("丽", "li"), ("强", "qiang"),
    ("磊", "lei"), ("军", "jun"), ("洋", "yang"), ("勇", "yong"), ("艳", "yan"), ("杰", "jie"), ("娟", "juan"),
    ("涛", "tao"), ("明", "ming"), ("超", "chao"), ("秀", "xiu"), ("霞", "xia"), ("平", "ping"), ("刚", "gang"),
    ("桂", "gui"), ("英", "ying"), ("华", "hua"), ("志", "zhi"), ("健", "jian"), ("文", "wen"), ("婷", "ting"),
    ("嘉", "jia"), ("浩", "hao"), ("俊", "jun"), ("宇", "yu"), ("欣", "xin"), ("颖", "ying"), ("锦", "jin"),
    ("荣", "rong"), ("燕", "yan"), ("玲", "ling"), ("晓", "xiao"), ("建", "jian"), ("国", "guo"), ("海", "hai"),
    ("东", "dong"), ("慧", "hui"), ("珊", "shan"), ("凯", "kai"), ("斌", "bin"), ("雪", "xue"),
)
TRADE_CHARS = (
    ("穗", "sui"), ("华", "hua"), ("佳", "jia"), ("鸿", "hong"), ("盛", "sheng"), ("恒", "heng"), ("永", "yong"),
    ("金", "jin"), ("裕", "yu"), ("丰", "feng"), ("利", "li"), ("德", "de"), ("兴", "xing"), ("隆", "long"),
    ("源", "yuan"), ("顺", "shun"), ("汇", "hui"), ("富", "fu"), ("瑞", "rui"), ("祥", "xiang"), ("嘉", "jia"),
    ("信", "xin"), ("宏", "hong"), ("泰", "tai"), ("安", "an"), ("康", "kang"), ("荣", "rong"), ("昌", "chang"),
    ("鑫", "xin"), ("万", "wan"), ("新", "xin"), ("粤", "yue"), ("南", "nan"), ("百", "bai"), ("合", "he"),
    ("益", "yi"), ("聚", "ju"), ("宝", "bao"), ("福", "fu"), ("达", "da"), ("创", "chuang"), ("旺", "wang"),
    ("海", "hai"), ("天", "tian"), ("明", "ming"), ("润", "run"), ("通", "tong"), ("乐", "le"),
)
#: Business words per channel code: all different, none ending in a legal-form word such as 店 or 公司.
BUSINESS = {
    "wholesaler": ("商贸", "贸易", "食品批发", "供应链", "副食品"),
    "agent": ("进出口", "实业", "商务", "酒业", "食品"),
    "chain": ("超市", "连锁超市", "便利连锁", "百货", "生活超市"),
    "franchise": ("便利", "生活馆", "优选", "鲜食", "购物"),
    "retailer": ("副食", "日杂", "烟酒", "食杂", "士多"),
    "specialty": ("酒行", "茶业", "母婴用品", "日化", "粮油"),
}


def _pick(rng: np.random.Generator, pool: tuple[tuple[str, str], ...], n: int) -> tuple[np.ndarray, np.ndarray]:
    idx = rng.integers(0, len(pool), n)
    return np.array([p[0] for p in pool])[idx], np.array([p[1] for p in pool])[idx]


def people(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Person names (two or three characters) and their pinyin."""
    sur, sur_py = _pick(rng, SURNAMES, n)
    g1, g1_py = _pick(rng, GIVEN, n)
    g2, g2_py = _pick(rng, GIVEN, n)
    single = rng.random(n) < 0.3
    g2 = np.where(single, "", g2)
    g2_py = np.where(single, "", g2_py)
    names = np.char.add(np.char.add(sur, g1), g2)
    pinyin = np.char.add(np.char.add(sur_py, g1_py), g2_py)
    return names, pinyin


def companies(rng: np.random.Generator, channel: np.ndarray, shop: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Company names by channel (individual shops without the city prefix) and their trade-name pinyin."""
    n = len(channel)
    chars = len(TRADE_CHARS)
    first = np.zeros(n, dtype=int)
    second = np.zeros(n, dtype=int)
    business = np.empty(n, dtype=object)
    for code, options in BUSINESS.items():
        rows = np.flatnonzero(channel == code)
        # each (trade name, business word) pair of a channel at most once; words differ between channels
        pair = rng.choice(chars * (chars - 1) * len(options), size=len(rows), replace=False)
        a, rest = np.divmod(pair, (chars - 1) * len(options))
        b, word = np.divmod(rest, len(options))
        first[rows] = a
        second[rows] = b + (b >= a)
        business[rows] = np.array(options)[word]
    c = np.array([p[0] for p in TRADE_CHARS])
    py = np.array([p[1] for p in TRADE_CHARS])
    trade = np.char.add(np.char.add(c[first], c[second]), business.astype(str))
    trade_py = np.char.add(py[first], py[second])
    company = np.where(rng.random(n) < 0.06, "股份有限公司", "有限公司")
    shop_suffix = np.array(["店", "商行", "经营部"])[rng.integers(0, 3, n)]
    names = np.where(shop, np.char.add(trade, shop_suffix), np.char.add(np.char.add("广州市", trade), company))
    return names, trade_py
