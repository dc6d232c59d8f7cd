"""Parse the numbers Chinese incident reports use: 12, 十二, 1.2万, 两千多, 10至12, 逾百, 过亿, 数十.

All scanning works on text folded by :func:`fold` (Simplified, half-width, one character for
one character), so every span found indexes the caller's original text.

Every pattern here is a bounded alternation or a single character class; nothing nests
quantifiers, so scanning is linear in the text length (200k-character posts are normal input).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum

from sentinel.classify.schemes import normalise

__all__ = [
    "NUMBER_RE",
    "TRAILING_RE",
    "ParsedNumber",
    "Qualifier",
    "find_numbers",
    "fold",
    "parse_chinese_integer",
    "parse_number",
]

# Sentence/line breaks: normalising chunk by chunk means one phrase whose conversion changes
# length (rare) leaves only its own chunk unconverted instead of the whole post.
_CHUNK_RE = re.compile(r"[^。!?！？\n]*[。!?！？\n]?")


# 一九八七年 / 二〇一九年: a year spelt in numerals, read as 1987年 by the year rules (same length)
_SPELT_YEAR_RE = re.compile(r"(?:一九|二[〇零○])[〇零○一二三四五六七八九]{2}(?=年)")
_SPELT_DIGITS = str.maketrans("〇零○一二三四五六七八九", "00012345678" + "9")


def fold(text: str) -> str:
    """Simplified Chinese, half-width digits/punctuation, same length as ``text``."""
    if text.isascii():
        return text.lower()
    folded = "".join(normalise(m.group()) for m in _CHUNK_RE.finditer(text) if m.group())
    return _SPELT_YEAR_RE.sub(lambda m: m.group().translate(_SPELT_DIGITS), folded) if "年" in folded else folded


class Qualifier(StrEnum):
    exact = "exact"
    at_least = "at_least"  # 至少 不少于 以上 逾 超过 多 余: the true figure is ≥ the value
    approx = "approx"  # 约 左右 上下 来 许
    nearly = "nearly"  # 近 将近 接近: just below the stated value
    less_than = "less_than"  # 不足 不到 以下 以内
    range = "range"  # 10至12, 三四: value is the upper bound, low the lower
    vague = "vague"  # 数十 几十 十几 上百: low confidence, value is a cautious lower estimate


@dataclass(frozen=True, slots=True)
class ParsedNumber:
    """One number found in text. A dataclass, not a model: posts can hold 100k of them."""

    value: float
    low: float | None = None
    qualifier: Qualifier = Qualifier.exact
    low_confidence: bool = False
    start: int = 0
    end: int = 0
    text: str = ""

    @property
    def grading_value(self) -> float:
        """The value to compare with a threshold: 近30 and 不足30 must not reach "30以上"."""
        if self.qualifier in (Qualifier.nearly, Qualifier.less_than):
            return max(self.value - 1, 0.0)
        return self.value

    def with_qualifier(self, qualifier: Qualifier, end: int, text: str) -> ParsedNumber:
        # A range or vague figure keeps its shape; a trailing 以上 only qualifies an exact one.
        keep = self.qualifier not in (Qualifier.exact, Qualifier.approx)
        q = self.qualifier if keep else qualifier
        return replace(self, qualifier=q, end=end, text=text)


_ZH = "零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟廿卅仨俩"
_TENS = {"廿": "二十", "卅": "三十"}  # 廿一人 (Hong Kong, old style): 21
_DIGIT = {
    "零": 0, "〇": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3,
    "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8,
    "捌": 8, "九": 9, "玖": 9,
    "仨": 3, "俩": 2,  # spoken 三个 / 两个, measure word included: 死了仨, 他俩
}  # fmt: skip
_SPOKEN = frozenset("仨俩")


def _spoken_pair(z: str) -> bool:
    """仨俩 / 三俩 / 俩仨: two or three, a spoken range (not 32)."""
    return len(z) == 2 and any(c in _SPOKEN for c in z) and all(c in _DIGIT for c in z) and {_DIGIT[c] for c in z} == {2, 3}


_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG = {"万": 10_000, "亿": 100_000_000}
_UNIT = _SMALL | _BIG

_ARABIC = r"[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?"
_SEP = r"(?:至|到|-|~|—|－|～)"
NUMBER_RE = re.compile(
    r"(?P<pre>至少|起码|最少|不少于|不低于|不下于|超过|多于|逾|过(?=[百千万亿])|超|多达|高达|约|大约|大概|将近|接近|近|不足|不到|少于)?"
    rf"(?:(?P<a>{_ARABIC})(?P<amul>[十百千万亿]{{0,3}})|(?P<vg>[数几上])?(?P<z>[{_ZH}]+)(?P<ji>几)?)"
    rf"(?:{_SEP}(?:(?P<b>{_ARABIC})(?P<bmul>[十百千万亿]{{0,3}})|(?P<z2>[{_ZH}]+)))?"
    r"(?:个(?=(?:多|余|馀)?亿))?"  # 一个亿, 两个多亿, 几个亿: spoken 亿 takes a measure word
    r"(?P<post>多|余|馀|来|许)?"  # zh-hans folds 餘 to 馀
    r"(?P<mul2>[万亿]{0,2})"
)
# Qualifiers written after the measure word: 10人以上, 30人左右.
TRAILING_RE = re.compile(r"以上|以下|以内|左右|上下")
_TRAILING_Q = {
    "以上": Qualifier.at_least, "以下": Qualifier.less_than, "以内": Qualifier.less_than,
    "左右": Qualifier.approx, "上下": Qualifier.approx,
}  # fmt: skip
_PRE_Q = {
    **dict.fromkeys(("至少", "起码", "最少", "不少于", "不低于", "不下于", "超过", "多于", "逾", "过", "超"), Qualifier.at_least),
    **dict.fromkeys(("约", "大约", "大概"), Qualifier.approx),
    **dict.fromkeys(("将近", "接近", "近"), Qualifier.nearly),
    **dict.fromkeys(("不足", "不到", "少于"), Qualifier.less_than),
}
_POST_Q = {
    "多": Qualifier.at_least,
    "余": Qualifier.at_least,
    "馀": Qualifier.at_least,
    "来": Qualifier.approx,
    "许": Qualifier.approx,
}


def trailing_qualifier(word: str) -> Qualifier:
    return _TRAILING_Q[word]


def parse_chinese_integer(s: str) -> int | None:
    """十二 → 12, 一百零五 → 105, 两千 → 2000, 一万二 → 12000, 二〇二三 → 2023, 廿一 → 21; else None."""
    for short, tens in _TENS.items():
        s = s.replace(short, tens)
    if not s or any(c not in _DIGIT and c not in _UNIT for c in s):
        return None
    if all(c in _DIGIT for c in s):  # positional: 三, 二〇二三
        return int("".join(str(_DIGIT[c]) for c in s))
    total = section = 0
    digit: int | None = None
    prev_small: int | None = None  # units inside a section must fall: 三千五百, not 五百三千
    last_unit = 1  # for colloquial 三百五 = 350 and 一万二 = 12000
    zero_seen = False
    for i, c in enumerate(s):
        if c in _DIGIT:
            if digit is not None and digit != 0 and _DIGIT[c] != 0:
                return None  # 十一五: two digits without a unit is not a number
            digit = _DIGIT[c]
            zero_seen = zero_seen or digit == 0
        elif c in _SMALL:
            u = _SMALL[c]
            if digit is None or digit == 0:
                if i != 0 and u != 10:
                    return None  # 百 after a unit: 一万百
                digit = 1  # leading 十 / 百: 十二 = 12
            if prev_small is not None and u >= prev_small:
                return None
            section += digit * u
            digit, prev_small, last_unit, zero_seen = None, u, u, False
        else:
            u = _BIG[c]
            section += digit or 0
            if section == 0 and total == 0:
                if len(s) > 1:
                    return None  # 万一 is "in case", not 10001
                section = 1
            total = (total + section) * u if u == _BIG["亿"] else total + section * u
            section, digit, prev_small, last_unit, zero_seen = 0, None, None, u, False
    if digit is not None:
        section += digit * (last_unit // 10 if last_unit >= 100 and not zero_seen else 1)
    return total + section


_SCHOOL_YEAR = frozenset("一二三四五六")
_SCHOOL_RE = re.compile(r"(?<![最提升增较很过偏太更扩放加强重伟巨庞远])(?:初|高|大|小学|研)$")


def _consecutive_pair(s: str) -> tuple[str, str] | None:
    """三四 → (三, 四); 二三十 → (二十, 三十); 十二三 → (十二, 十三): a spoken range."""
    if len(s) != 2 and not any(c in _UNIT for c in s):
        return None
    for i in range(len(s) - 1):
        a, b = s[i], s[i + 1]
        if a in _DIGIT and b in _DIGIT and _DIGIT[b] == _DIGIT[a] + 1 and _DIGIT[a] > 0:
            return s[: i + 1] + s[i + 2 :], s[:i] + s[i + 1 :]
    return None


def _arabic(num: str, mul: str) -> float:
    value = float(num.replace(",", ""))
    for c in mul:
        value *= _UNIT[c]
    return value


def _bare_unit(s: str) -> bool:
    return all(c in _UNIT for c in s)


def _from_match(m: re.Match[str], original: str) -> ParsedNumber | None:
    pre, vg, post, mul2 = m["pre"], m["vg"], m["post"], m["mul2"]
    start = m.start()
    low: float | None = None
    qualifier = _PRE_Q.get(pre or "", Qualifier.exact)
    low_conf = False
    if m["a"] is not None:
        value = _arabic(m["a"], m["amul"])
    else:
        z = m["z"]
        if len(z) > 1 and pre is None and vg is None and z[0] in _SCHOOL_YEAR and _SCHOOL_RE.search(m.string, 0, start):
            z, start = z[1:], start + 1  # 初三一名男生 / 大四两名学生: the school year, then the count (not 31, 42)
        if len(z) > 1 and any(c in _SPOKEN for c in z) and not _spoken_pair(z):
            return None  # 三三俩俩 (in twos and threes), 十俩: 仨/俩 carry their measure word, they take no digits
        if vg is not None and not _bare_unit(z):
            vg, start = None, m.start("z") if pre is None else start  # 上一次: 上 is not a number
        if z[0] in "百千万亿佰仟" and vg is None and pre is None and post is None and not m["mul2"]:
            return None  # 百姓, 千万不要, 万一: a leading big unit needs 逾/近/上/数/余 around it
        pair = _consecutive_pair(z) if vg is None else None
        if pair is None and vg is None and _spoken_pair(z):
            pair = ("俩", "仨")  # 仨俩人 / 三俩个: two or three
        if pair is not None:
            lo, hi = (parse_chinese_integer(p) for p in pair)
            if lo is None or hi is None:
                return None
            low, value, qualifier = float(lo), float(hi), Qualifier.range
        else:
            parsed = parse_chinese_integer(z)
            if parsed is None:
                return None
            value = float(parsed)
        if vg in ("数", "几"):
            value, qualifier, low_conf = 2 * value, Qualifier.vague, True  # 数十 ≥ 20
        elif vg == "上":
            qualifier, low_conf = Qualifier.at_least, True  # 上百: a hundred or more
        if m["ji"]:
            value, qualifier, low_conf = value + 1, Qualifier.vague, True  # 十几 ≥ 11
    if m["b"] is not None or m["z2"] is not None:
        hi_v = _arabic(m["b"], m["bmul"]) if m["b"] is not None else parse_chinese_integer(m["z2"])
        if hi_v is not None and hi_v >= value:
            low, value, qualifier = value, float(hi_v), Qualifier.range
    if post is not None and qualifier in (Qualifier.exact, Qualifier.approx):
        qualifier = _POST_Q[post]
    factor = 1
    for c in mul2:
        factor *= _BIG[c]
    value *= factor
    if low is not None:
        low *= factor
    if qualifier is Qualifier.vague:
        low = value
    return ParsedNumber(
        value=value,
        low=low,
        qualifier=qualifier,
        low_confidence=low_conf,
        start=start,
        end=m.end(),
        text=original[start : m.end()],
    )


def find_numbers(text: str, *, folded: bool = False) -> list[ParsedNumber]:
    """Every number in ``text`` with its span; pass ``folded=True`` if already :func:`fold`-ed."""
    work = text if folded else fold(text)
    return [n for m in NUMBER_RE.finditer(work) if (n := _from_match(m, text)) is not None]


def parse_number(s: str) -> ParsedNumber | None:
    """Parse a string that is one number (surrounding spaces and 以上/左右 allowed)."""
    work = fold(s)
    stripped = work.strip()
    offset = len(work) - len(work.lstrip())
    m = NUMBER_RE.match(stripped)
    if m is None:
        return None
    num = _from_match(m, stripped)
    if num is None:
        return None
    rest = stripped[m.end() :]
    if rest:
        if rest not in _TRAILING_Q:
            return None
        num = num.with_qualifier(_TRAILING_Q[rest], len(stripped), stripped)
    return replace(num, start=num.start + offset, end=num.end + offset, text=s.strip())
