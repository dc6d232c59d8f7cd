"""Number-magnitude markers in the model's input text.

A character model sees "33条人命" as the characters 3, 3 and has to learn from a few hundred
serious posts that two digits before 人命 matter; it never learns that 三十三 and 33 are the same.
Grades hinge on magnitudes (3 / 10 / 30 deaths, 10 / 50 / 100 injured, 1000万 / 5000万 / 1亿 yuan),
so every number the shared parser finds (Arabic or Chinese, with 万/亿) gets a marker token for its
magnitude band right after it: "三十三[N30]条人命". The bands follow the grading thresholds.
"""

from __future__ import annotations

from bisect import bisect_right

from sentinel.classify.numbers import find_numbers

BOUNDS: tuple[float, ...] = (0, 1, 2, 3, 5, 10, 30, 50, 100, 1_000, 1e4, 1e5, 1e6, 1e7, 5e7, 1e8)
MARKERS: tuple[str, ...] = (
    "[N0]", "[N1]", "[N2]", "[N3]", "[N5]", "[N10]", "[N30]", "[N50]", "[N100]",
    "[N1K]", "[N1W]", "[N10W]", "[N100W]", "[N1KW]", "[N5KW]", "[N1Y]",
)


def marker(value: float) -> str:
    return MARKERS[max(0, bisect_right(BOUNDS, value) - 1)]


def mark_numbers(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, with a magnitude marker after every number."""
    head = text[:limit]
    parts: list[str] = []
    last = 0
    for number in find_numbers(head):
        # a lone 一 is mostly not a number (一起, 一直, 一个): marking it only adds noise
        if number.end <= last or number.text == "一":
            continue
        parts += [head[last : number.end], marker(number.value)]
        last = number.end
    parts.append(head[last:])
    return "".join(parts)
