"""Scheme expression language: parsing, errors, printing, and what an expression matches."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sentinel.classify.keywords import evaluate, find_all
from sentinel.classify.schemes import (
    And,
    Expr,
    Near,
    Not,
    Or,
    Region,
    SchemeSyntaxError,
    Term,
    is_anchored,
    normalise,
    parse,
    to_source,
)

A, B, C = Term("a"), Term("b"), Term("c")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("爆炸", Term("爆炸")),
        ('"pm 2.5"', Term("pm 2.5")),
        ("a b", And((A, B))),
        ("a & b", And((A, B))),
        ("a AND b", And((A, B))),
        ("a | b", Or((A, B))),
        ("a OR b", Or((A, B))),
        ("-a", Not(A)),
        ("!a", Not(A)),
        ("NOT a", Not(A)),
        ("a -b", And((A, Not(B)))),
        ("covid-19", Term("covid-19")),  # '-' inside a word is not NOT
        ("a | b c", Or((A, And((B, C))))),  # AND binds tighter than OR
        ("-a b", And((Not(A), B))),  # NOT binds tighter than AND
        ("(a | b) c", And((Or((A, B)), C))),
        ("a & (b & c)", And((A, B, C))),  # same-kind nesting is flattened
        ("NEAR(a, b, 10)", Near((A,), (B,), 10)),
        ("a ~10 b", Near((A,), (B,), 10)),
        ("(a | b) ~3 REGION", Near((A, B), (Region(),), 3)),
        ("NEAR((a | b), c, 0)", Near((A, B), (C,), 0)),
        ("-a ~5 b", Not(Near((A,), (B,), 5))),
        ("REGION 爆炸", And((Region(), Term("爆炸")))),
        ("NEAR", Term("NEAR")),  # NEAR is a keyword only before '('
        ("and", Term("and")),  # keywords are upper case
        ("（工人｜工友） ～8 死亡", Near((Term("工人"), Term("工友")), (Term("死亡"),), 8)),
        ("“信息 爆炸” ！演习", And((Term("信息 爆炸"), Not(Term("演习"))))),
    ],
)
def test_parse_valid(source: str, expected: Expr) -> None:
    assert parse(source) == expected


@pytest.mark.parametrize(
    ("source", "position", "fragment"),
    [
        ("", 0, "empty expression"),
        ("   ", 0, "empty expression"),
        ("(a | b", 6, "expected ')'"),
        ("((a)", 4, "expected ')'"),
        ("a)", 1, "unmatched ')'"),
        ("()", 1, "expected a term"),
        ("a |", 3, "expression ended"),
        ("| a", 0, "expected a term but found '|'"),
        ("a & & b", 4, "found '&'"),
        ("a NOT", 5, "expected a term"),
        ('a ""', 2, "empty phrase"),
        ('a "  "', 2, "empty phrase"),
        ('a "bc', 2, "unterminated phrase"),
        ("a ~ b", 2, "distance after '~'"),
        ("~3 b", 0, "expected a term"),
        ("a ~3 b ~4 c", 7, "NEAR(..) & NEAR(..)"),
        ("(a b) ~3 c", 0, "proximity operands"),
        ("NEAR(a, b)", 9, "NEAR takes exactly"),
        ("NEAR(a, b, x)", 11, "non-negative whole number"),
        ("NEAR(a, b, -1)", 11, "non-negative whole number"),
        ("NEAR(a, b, 1.5)", 11, "non-negative whole number"),
        ("NEAR(a b 10)", 5, "NEAR takes exactly"),
        ("NEAR(a, b, 10, 3)", 13, "NEAR takes exactly"),
        ("NEAR(a, -b, 3)", 8, "proximity operands"),
        ("NEAR(a, b, 99999)", 11, "at most"),
        ("a ~99999 b", 2, "at most"),
        ("(" * 100 + "a" + ")" * 100, 64, "nested too deeply"),
    ],
)
def test_parse_errors_have_positions(source: str, position: int, fragment: str) -> None:
    with pytest.raises(SchemeSyntaxError) as info:
        parse(source)
    assert info.value.position == position
    assert fragment in str(info.value)
    assert f"at column {position + 1}" in str(info.value)


def test_error_message_names_the_missing_paren() -> None:
    with pytest.raises(SchemeSyntaxError, match=r"expected '\)' to close '\(' from column 1"):
        parse("(烂尾 | 停工 业主")


# --- evaluation ------------------------------------------------------------


def matches(source: str, text: str, regions: tuple[str, ...] = ()) -> bool:
    return evaluate(parse(source), text, regions=regions).matched


@pytest.mark.parametrize(
    ("source", "text", "expected"),
    [
        ("爆炸 燃气", "燃气管道爆炸", True),
        ("爆炸 燃气", "锅炉爆炸", False),
        ("爆炸 | 起火", "仓库起火", True),
        ("爆炸 -演习", "消防演习中模拟爆炸", False),  # NOT means the word is absent anywhere
        ("爆炸 -演习", "工厂爆炸", True),
        ("!(演习 | 演练) 爆炸", "爆炸演练", False),
        ("(爆炸 | 起火) -演习", "起火了", True),
        ("爆炸 | 起火 -演习", "演习时起火", False),
        ("爆炸 | 起火 -演习", "演习时爆炸", True),  # NOT applies to 起火 only
        ("PM2.5", "今天pm2.5爆表", True),
        ("110", "赶紧打110报警", True),
        ("110", "编号1100的设备", False),  # latin/digit terms need a word boundary
        ("app", "这个happy的应用", False),
        ("app", "政务APP打不开", True),
        ('"new york"', "I love New York", True),
    ],
)
def test_evaluation_semantics(source: str, text: str, expected: bool) -> None:
    assert matches(source, text) is expected


@pytest.mark.parametrize(
    ("gap", "distance", "expected"),
    [(0, 0, True), (3, 3, True), (4, 3, False), (10, 10, True), (11, 10, False)],
)
def test_proximity_counts_characters_between(gap: int, distance: int, expected: bool) -> None:
    text = "工人" + "某" * gap + "死亡"
    reversed_text = "死亡" + "某" * gap + "工人"
    assert matches(f"工人 ~{distance} 死亡", text) is expected
    assert matches(f"NEAR(工人, 死亡, {distance})", reversed_text) is expected


def test_proximity_overlap_counts_as_zero_and_needs_two_occurrences() -> None:
    assert matches("NEAR(燃气爆炸, 爆炸事故, 0)", "燃气爆炸事故")
    assert not matches("NEAR(爆炸, 爆炸, 20)", "只有一次爆炸")
    assert matches("NEAR(爆炸, 爆炸, 2)", "爆炸，爆炸")


def test_proximity_with_groups_and_any_pair() -> None:
    expr = "(工人 | 工友) ~4 (死亡 | 身亡)"
    assert matches(expr, "一名工友不幸身亡")
    assert matches(expr, "工人很多，经抢救无效，最后一人死亡，工友悲痛")  # 工友 near 死亡
    assert not matches(expr, "工人很多，经过长时间抢救无效，最后死亡")


def test_region_matches_any_configured_word() -> None:
    regions = ("清江市", "梅岭县")
    assert matches("REGION 爆炸", "梅岭县一工厂爆炸", regions)
    assert not matches("REGION 爆炸", "外省一工厂爆炸", regions)
    assert not matches("REGION 爆炸", "梅岭县一工厂爆炸")  # no regions configured
    assert matches("REGION ~3 暴雨", "清江市遭遇暴雨", regions)


def test_matching_is_on_normalised_text_and_spans_index_the_original() -> None:
    text = "ＡＢＣ公司：梅嶺縣化工廠發生爆炸"
    result = evaluate(parse("abc & 化工厂 & 爆炸"), text)
    assert result.matched
    assert [text[s.start : s.end] for s in result.spans] == ["ＡＢＣ", "化工廠", "爆炸"]
    assert [s.term for s in result.spans] == ["abc", "化工厂", "爆炸"]


def test_terms_written_in_traditional_or_full_width_match_simplified_text() -> None:
    assert matches("爛尾樓", "烂尾楼业主维权")
    assert matches("ＰＭ２．５", "pm2.5超标")


def test_spans_list_every_contributing_occurrence_but_not_negated_ones() -> None:
    result = evaluate(parse("(爆炸 | 起火) -演习"), "先起火后爆炸，又起火")
    assert [(s.term, s.start) for s in result.spans] == [("起火", 1), ("爆炸", 4), ("起火", 8)]
    assert evaluate(parse("爆炸 -演习"), "演习爆炸").spans == ()


def test_normalise_preserves_length() -> None:
    for text in ["ＡＢＣ，臺灣颱風", "İstanbul 伊斯坦布尔", "a\ud800b", "乾隆皇帝"]:
        assert len(normalise(text)) == len(text)
    assert normalise("ＡＢＣ，臺灣颱風") == "abc,台湾台风"


@pytest.mark.parametrize(
    ("source", "anchored"),
    [
        ("a", True),
        ("-a", False),
        ("a | -b", False),
        ("a -b", True),
        ("!(!a)", True),
        ("!(a & b)", False),
        ("NEAR(a, b, 3)", True),
        ("-NEAR(a, b, 3) c", True),
    ],
)
def test_is_anchored(source: str, anchored: bool) -> None:
    assert is_anchored(parse(source)) is anchored


# --- properties ------------------------------------------------------------

OPERATOR_SOUP = st.text(
    alphabet=[*'ab爆炸 ()|&!-~",0123456789NEARORANDTGIx（）｜“”', "\ud800", "😮"], max_size=40
)


@given(st.one_of(st.text(max_size=60), OPERATOR_SOUP))
@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow])
def test_parse_raises_only_scheme_syntax_errors(source: str) -> None:
    try:
        parse(source)
    except SchemeSyntaxError as exc:
        assert 0 <= exc.position <= len(source)


WORDS = ["爆炸", "起火", "工人", "死亡", "a", "b1", "清江"]
words = st.sampled_from(WORDS)
atoms = st.one_of(
    st.builds(Term, words),
    st.builds(lambda w: Term(w, phrase=True), st.sampled_from(["信息 爆炸", "a|b", "AND"])),
    st.just(Region()),
)
groups = st.lists(atoms, min_size=1, max_size=3).map(tuple)
leaves = st.one_of(atoms, st.builds(Near, groups, groups, st.integers(0, 12)))


def _flatten(expr: Expr) -> Expr:
    """What the parser builds: nested And/Or of the same kind are merged."""
    if isinstance(expr, Not):
        return Not(_flatten(expr.operand))
    if isinstance(expr, And | Or):
        flat: list[Expr] = []
        for sub in map(_flatten, expr.operands):
            flat.extend(sub.operands if isinstance(sub, And | Or) and type(sub) is type(expr) else (sub,))
        return type(expr)(tuple(flat))
    return expr


exprs = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.builds(Not, inner),
        st.builds(And, st.lists(inner, min_size=2, max_size=3).map(tuple)),
        st.builds(Or, st.lists(inner, min_size=2, max_size=3).map(tuple)),
    ),
    max_leaves=8,
).map(_flatten)
texts = st.lists(st.sampled_from([*WORDS, "信息 爆炸", "a|b", "and", "某", "，", "x"]), max_size=12).map(
    "".join
)


@given(exprs, st.lists(texts, min_size=1, max_size=4))
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_printed_then_reparsed_expression_is_equal_and_evaluates_the_same(
    expr: Expr, samples: list[str]
) -> None:
    reparsed = parse(to_source(expr))
    assert reparsed == expr
    for text in samples:
        assert evaluate(reparsed, text, regions=["清江"]) == evaluate(expr, text, regions=["清江"])


@given(OPERATOR_SOUP, texts)
@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
def test_reprinting_any_parsable_source_is_stable(source: str, text: str) -> None:
    try:
        expr = parse(source)
    except SchemeSyntaxError:
        return
    again = parse(to_source(expr))
    assert again == expr
    assert evaluate(again, text).matched == evaluate(expr, text).matched


REGIONS = ("清江", "梅岭县")


def _reference(expr: Expr, text: str) -> set[tuple[str, int, int]] | None:
    """The documented meaning spelled out as directly as possible, to check the fast one."""

    def occurrences(atom: Term | Region) -> set[tuple[str, int, int]]:
        keys = REGIONS if isinstance(atom, Region) else (atom.key,)
        return {(k, s, e) for k in keys for s, e in find_all(normalise(text), k)}

    if isinstance(expr, Term | Region):
        return occurrences(expr) or None
    if isinstance(expr, Not):
        return set() if _reference(expr.operand, text) is None else None
    if isinstance(expr, And | Or):
        parts = [p for e in expr.operands if (p := _reference(e, text)) is not None]
        if not parts or (isinstance(expr, And) and len(parts) < len(expr.operands)):
            return None
        return set().union(*parts)
    lefts = set().union(*map(occurrences, expr.left))
    rights = set().union(*map(occurrences, expr.right))
    near = [
        (a, b)
        for a in lefts
        for b in rights
        if a[1:] != b[1:] and max(b[1] - a[2], a[1] - b[2], 0) <= expr.distance
    ]
    return {span for pair in near for span in pair} or None


@given(exprs, texts)
@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_evaluation_agrees_with_the_reference_meaning(expr: Expr, text: str) -> None:
    expected = _reference(expr, text + "梅岭县某")
    result = evaluate(expr, text + "梅岭县某", regions=REGIONS)
    assert result.matched == (expected is not None)
    assert set(result.spans) == (expected or set())
