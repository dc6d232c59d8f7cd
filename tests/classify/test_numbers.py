"""Chinese / Arabic numeral parsing (sentinel.classify.numbers)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sentinel.classify.numbers import Qualifier, find_numbers, fold, parse_chinese_integer, parse_number

Q = Qualifier

# (text, value, low, qualifier, low_confidence)
PARSE_CASES: list[tuple[str, float, float | None, Qualifier, bool]] = [
    ("12", 12, None, Q.exact, False),
    ("１２", 12, None, Q.exact, False),
    ("1,200", 1200, None, Q.exact, False),
    ("3.5", 3.5, None, Q.exact, False),
    ("十", 10, None, Q.exact, False),
    ("十二", 12, None, Q.exact, False),
    ("二十三", 23, None, Q.exact, False),
    ("一百零五", 105, None, Q.exact, False),
    ("三百五", 350, None, Q.exact, False),
    ("一万二", 12000, None, Q.exact, False),
    ("两千", 2000, None, Q.exact, False),
    ("兩千", 2000, None, Q.exact, False),
    ("三萬", 30000, None, Q.exact, False),
    ("两千多", 2000, None, Q.at_least, False),
    ("三十余", 30, None, Q.at_least, False),
    ("三十餘", 30, None, Q.at_least, False),
    ("逾百", 100, None, Q.at_least, False),
    ("上百", 100, None, Q.at_least, True),
    ("上万", 10000, None, Q.at_least, True),
    ("近百", 100, None, Q.nearly, False),
    ("数十", 20, 20, Q.vague, True),
    ("几百", 200, 200, Q.vague, True),
    ("数十万", 200000, 200000, Q.vague, True),
    ("十几", 11, 11, Q.vague, True),
    ("1.2万", 12000, None, Q.exact, False),
    ("3亿", 300_000_000, None, Q.exact, False),
    ("3億", 300_000_000, None, Q.exact, False),
    ("5000万", 50_000_000, None, Q.exact, False),
    ("1000余万", 10_000_000, None, Q.at_least, False),
    ("两千多万", 20_000_000, None, Q.at_least, False),
    ("10至12", 12, 10, Q.range, False),
    ("10-12", 12, 10, Q.range, False),
    ("10到12", 12, 10, Q.range, False),
    ("三四", 4, 3, Q.range, False),
    ("二三十", 30, 20, Q.range, False),
    ("十二三", 13, 12, Q.range, False),
    ("至少5", 5, None, Q.at_least, False),
    ("不少于8", 8, None, Q.at_least, False),
    ("超过30", 30, None, Q.at_least, False),
    ("逾30", 30, None, Q.at_least, False),
    ("10以上", 10, None, Q.at_least, False),
    ("约50", 50, None, Q.approx, False),
    ("30左右", 30, None, Q.approx, False),
    ("近30", 30, None, Q.nearly, False),
    ("不足10", 10, None, Q.less_than, False),
    # spoken 亿 takes a measure word: 一个亿, 两个多亿
    ("一个亿", 100_000_000, None, Q.exact, False),
    ("3个亿", 300_000_000, None, Q.exact, False),
    ("两个多亿", 200_000_000, None, Q.at_least, False),
]


@pytest.mark.parametrize(("text", "value", "low", "qualifier", "low_conf"), PARSE_CASES)
def test_parse_number(
    text: str, value: float, low: float | None, qualifier: Qualifier, low_conf: bool
) -> None:
    parsed = parse_number(text)
    assert parsed is not None, text
    assert parsed.value == value
    assert parsed.low == low
    assert parsed.qualifier is qualifier
    assert parsed.low_confidence is low_conf


@pytest.mark.parametrize("text", ["", "人", "百", "万一", "十一五", "abc", "12人", "億"])
def test_not_a_number(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("零", 0),
        ("二〇二三", 2023),
        ("一十", 10),
        ("一百一十", 110),
        ("十万", 100_000),
        ("一亿二千万", 120_000_000),
    ],
)
def test_parse_chinese_integer(text: str, value: int) -> None:
    assert parse_chinese_integer(text) == value


@pytest.mark.parametrize("text", ["五百三千", "一万百", "万一", "三x"])
def test_parse_chinese_integer_rejects(text: str) -> None:
    assert parse_chinese_integer(text) is None


def test_grading_value_keeps_nearly_below_the_stated_figure() -> None:
    nearly, over, rng = parse_number("近30"), parse_number("超过30"), parse_number("10至12")
    assert nearly is not None and over is not None and rng is not None
    assert nearly.grading_value < 30 <= over.grading_value
    assert rng.grading_value == 12  # a range grades on its upper bound


def test_find_numbers_spans_index_the_original_text() -> None:
    text = "截至１２日，死亡人數升至３１人，另有兩千多人受災"
    nums = find_numbers(text)
    assert [n.value for n in nums] == [12, 31, 2000]
    for n in nums:
        assert text[n.start : n.end] == n.text
    assert nums[1].text == "３１"


def test_leading_big_unit_words_are_not_numbers() -> None:
    assert find_numbers("老百姓千万不要相信，万一出事") == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_fold_preserves_length_and_find_never_raises(text: str) -> None:
    assert len(fold(text)) == len(text)
    for n in find_numbers(text):
        assert 0 <= n.start < n.end <= len(text)
