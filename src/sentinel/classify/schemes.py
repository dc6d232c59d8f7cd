"""Keyword scheme (监测方案) expression language: normalise, parse, print.

Grammar (precedence: proximity > NOT > AND > OR)::

    expr    := and (('|' | 'OR') and)*
    and     := unary (['&' | 'AND'] unary)*          -- juxtaposition is AND
    unary   := ('-' | '!' | 'NOT') unary | near
    near    := primary ['~' INT primary]
    primary := WORD | "PHRASE" | REGION | '(' expr ')'
             | 'NEAR' '(' group ',' group ',' INT ')'
    group   := WORD | "PHRASE" | REGION | '(' group ('|' group)* ')'

`-` is NOT only where a token starts, so `covid-19` stays one word. Keywords are
upper case; write `"or"` to search for the latin word. Full-width operators typed
with a Chinese IME (（）｜＆！～，“”) are accepted as their ASCII forms.

Matching (see `sentinel.classify.keywords`, which also has `evaluate`) is substring
matching on `normalise()`d text; latin/digit terms also need a word boundary (`110`
does not match inside `1100`). Two occurrences are "within N characters" when at
most N characters lie between them (overlap counts as 0).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple, TypeVar

from zhconv_rs import make_converter

# Full-width ASCII (U+FF01..FF5E) and the ideographic space fold to ASCII one
# character for one character, so offsets into normalised text stay valid.
_WIDTH_FOLD: dict[int, int] = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH_FOLD[0x3000] = 0x20
# Width folding as extra rules of the Simplified converter: one Rust pass does both,
# five times faster than str.translate with a dict on CJK text (measured).
# Cantonese particles with a one-character Mandarin equivalent (死咗三個 → 死了三个, 冇人 → 没人), so
# Hong Kong posts meet the same keywords; one character for one, like the rest.
_CANTONESE = {"咗": "了", "冇": "没", "嘅": "的", "喺": "在", "佢": "他", "啲": "些", "搵": "找"}
_CONVERT = make_converter(
    "zh-hans", [(chr(k), chr(v)) for k, v in _WIDTH_FOLD.items()] + list(_CANTONESE.items())
)
_SENTENCE = re.compile(r"[^。!?！？\n]*[。!?！？\n]?")
_EXPR_FOLD = {**_WIDTH_FOLD, ord("“"): ord('"'), ord("”"): ord('"')}

MAX_DEPTH = 64
MAX_DISTANCE = 10_000
_DELIMS = frozenset('()|&!"~,')
_KEYWORDS = {"AND": "AND", "OR": "OR", "NOT": "NOT", "REGION": "REGION"}
_SINGLE = {"(": "LPAREN", ")": "RPAREN", ",": "COMMA", "|": "OR", "&": "AND", "!": "NOT", "-": "NOT"}
_DIGITS = frozenset("0123456789")
T = TypeVar("T")


def normalise(text: str) -> str:
    """Lower-case, fold width and convert to Simplified Chinese, preserving length.

    Length is preserved so that match offsets index the caller's original text;
    where a conversion would change the length we keep the unconverted form.
    """
    lowered = text.lower()
    if len(lowered) != len(text):  # e.g. 'İ' lowers to two code points
        lowered = "".join(low if len(low := ch.lower()) == 1 else ch for ch in text)
    converted = _convert(lowered)
    if len(converted) == len(lowered):
        return converted
    # Rare phrase conversions change length: convert sentence by sentence and keep
    # only the sentences whose length survives (those are only width-folded).
    return "".join(
        conv if len(conv := _convert(part)) == len(part) else part.translate(_WIDTH_FOLD)
        for part in _SENTENCE.findall(lowered)
    )


def _convert(text: str) -> str:
    try:
        return _CONVERT(text)
    except UnicodeEncodeError:  # lone surrogates cannot cross into Rust
        return text.translate(_WIDTH_FOLD)


class SchemeSyntaxError(ValueError):
    """A scheme expression is malformed; `position` is the 0-based column."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} at column {position + 1}")
        self.message = message
        self.position = position


# --- syntax tree -----------------------------------------------------------


class _Node:
    __slots__ = ()

    def __str__(self) -> str:
        return to_source(self)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Term(_Node):
    text: str
    phrase: bool = field(default=False, compare=False)  # only affects printing
    key: str = field(init=False, compare=False, repr=False)  # what is matched

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", normalise(self.text))


@dataclass(frozen=True, slots=True)
class Region(_Node):
    pass


@dataclass(frozen=True, slots=True)
class Not(_Node):
    operand: Expr


@dataclass(frozen=True, slots=True)
class And(_Node):
    operands: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Or(_Node):
    operands: tuple[Expr, ...]


Atom = Term | Region


@dataclass(frozen=True, slots=True)
class Near(_Node):
    left: tuple[Atom, ...]
    right: tuple[Atom, ...]
    distance: int


Expr = Term | Region | Not | And | Or | Near


def _quoted_term(term: Term) -> str:
    text = term.text
    if '"' in text or not text.strip():
        raise ValueError(f"term {text!r} cannot be written in scheme syntax")
    bare_ok = not term.phrase and text not in ("AND", "OR", "NOT", "REGION", "NEAR")
    bare_ok = bare_ok and text[0] != "-" and not any(c.isspace() or c in _DELIMS for c in text)
    return text if bare_ok else f'"{text}"'


def _level(expr: Expr) -> int:
    return 1 if isinstance(expr, Or) else 2 if isinstance(expr, And) else 3


def _wrap(expr: Expr, min_level: int) -> str:
    text = to_source(expr)
    return f"({text})" if _level(expr) < min_level else text


def _group_source(group: tuple[Atom, ...]) -> str:
    inner = " | ".join(to_source(a) for a in group)
    return inner if len(group) == 1 else f"({inner})"


def to_source(expr: Expr) -> str:
    """Canonical source text; `parse(to_source(e)) == e` for parsed expressions."""
    if isinstance(expr, Term):
        return _quoted_term(expr)
    if isinstance(expr, Region):
        return "REGION"
    if isinstance(expr, Not):
        return "!" + _wrap(expr.operand, 3)
    if isinstance(expr, And):
        return " & ".join(_wrap(e, 3) for e in expr.operands)
    if isinstance(expr, Or):
        return " | ".join(_wrap(e, 2) for e in expr.operands)
    left, right = _group_source(expr.left), _group_source(expr.right)
    return f"NEAR({left}, {right}, {expr.distance})"


# --- tokenizer and parser --------------------------------------------------


class _Tok(NamedTuple):
    kind: str  # WORD PHRASE LPAREN RPAREN COMMA OR AND NOT NEAR REGION PROX EOF
    text: str
    pos: int


_TOKEN = re.compile(
    r'\s*(?:(?P<single>[(),|&!-])|(?P<phrase>"[^"]*"?)|(?P<prox>~[0-9]*)|(?P<word>[^\s()|&!"~,]+))'
)
_TERM_START = ("WORD", "PHRASE", "REGION", "LPAREN", "NOT", "NEAR")
_NEAR_ARGS = "NEAR takes exactly (term, term, distance)"


def _tokenize(src: str) -> list[_Tok]:
    toks: list[_Tok] = []
    pos = 0
    while (m := _TOKEN.match(src, pos)) and m.end() > pos:
        kind = m.lastgroup or ""
        text, pos, at = m[kind], m.end(), m.start(kind)
        if kind == "single":
            kind = _SINGLE[text]
        elif kind == "phrase":
            if len(text) < 2 or not text.endswith('"'):
                raise SchemeSyntaxError("unterminated phrase: missing closing '\"'", at)
            if not text[1:-1].strip():
                raise SchemeSyntaxError('empty phrase ""', at)
            kind, text = "PHRASE", text[1:-1]
        elif kind == "prox":
            if len(text) == 1:
                raise SchemeSyntaxError("expected a distance after '~', as in 'a ~10 b'", at)
            kind = "PROX"
        elif text == "NEAR" and src[pos:].lstrip().startswith("("):
            kind = "NEAR"  # otherwise NEAR is an ordinary word
        else:
            kind = _KEYWORDS.get(text, "WORD")
        toks.append(_Tok(kind, text, at))
    toks.append(_Tok("EOF", "", len(src)))
    return toks


def _distance(tok: _Tok, digits: str) -> int:
    if tok.kind not in ("WORD", "PROX") or not digits or not set(digits) <= _DIGITS:
        raise SchemeSyntaxError("distance must be a non-negative whole number", tok.pos)
    if len(digits) > 5 or int(digits) > MAX_DISTANCE:
        raise SchemeSyntaxError(f"distance must be at most {MAX_DISTANCE}", tok.pos)
    return int(digits)


def _found(tok: _Tok) -> str:
    return " but the expression ended" if tok.kind == "EOF" else f" but found {tok.text!r}"


class _Parser:
    """Recursive descent, one method per precedence level; `depth` bounds recursion."""

    def __init__(self, src: str) -> None:
        self.toks = _tokenize(src)
        self.i = self.depth = 0

    @property
    def tok(self) -> _Tok:
        return self.toks[self.i]

    def take(self, kind: str | None = None, what: str = "") -> _Tok:
        tok = self.tok
        if kind is not None and tok.kind != kind:
            raise SchemeSyntaxError(f"expected {what}{_found(tok)}", tok.pos)
        self.i += 1
        return tok

    def nested(self, pos: int, parse: Callable[[], T]) -> T:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise SchemeSyntaxError("expression nested too deeply", pos)
        result = parse()
        self.depth -= 1
        return result

    def parse_or(self) -> Expr:
        items = [self.parse_and()]
        while self.tok.kind == "OR":
            self.take()
            items.append(self.parse_and())
        return _flat(Or, items)

    def parse_and(self) -> Expr:
        items = [self.parse_unary()]
        while self.tok.kind == "AND" or self.tok.kind in _TERM_START:
            if self.tok.kind == "AND":
                self.take()
            items.append(self.parse_unary())
        return _flat(And, items)

    def parse_unary(self) -> Expr:
        if self.tok.kind != "NOT":
            return self.parse_near()
        return Not(self.nested(self.take().pos, self.parse_unary))

    def parse_near(self) -> Expr:
        left_pos, left = self.tok.pos, self.parse_primary()
        if self.tok.kind != "PROX":
            return left
        prox = self.take()
        right_pos, right = self.tok.pos, self.parse_primary()
        if self.tok.kind == "PROX":
            raise SchemeSyntaxError("use NEAR(..) & NEAR(..) instead of 'a ~N b ~M c'", self.tok.pos)
        return Near(_group(left, left_pos), _group(right, right_pos), _distance(prox, prox.text[1:]))

    def parse_primary(self) -> Expr:
        tok = self.tok
        if tok.kind in ("WORD", "PHRASE", "REGION"):
            self.take()
            return Region() if tok.kind == "REGION" else Term(tok.text, phrase=tok.kind == "PHRASE")
        if tok.kind == "NEAR":
            return self.nested(tok.pos, self.parse_near_call)
        if tok.kind != "LPAREN":
            raise SchemeSyntaxError(f"expected a term{_found(tok)}", tok.pos)
        self.take()
        inner = self.nested(tok.pos, self.parse_or)
        self.take("RPAREN", f"')' to close '(' from column {tok.pos + 1}")
        return inner

    def parse_near_call(self) -> Near:
        self.take()
        self.take("LPAREN", "'(' after NEAR")
        args: list[tuple[Atom, ...]] = []
        for _ in range(2):
            pos = self.tok.pos
            args.append(_group(self.parse_or(), pos, f"; {_NEAR_ARGS}"))
            self.take("COMMA", f"',' ({_NEAR_ARGS})")
        distance = _distance(self.tok, self.take().text)
        self.take("RPAREN", f"')' ({_NEAR_ARGS})")
        return Near(args[0], args[1], distance)


def _flat(kind: type[And] | type[Or], items: list[Expr]) -> Expr:
    if len(items) == 1:
        return items[0]
    return kind(
        tuple(sub for item in items for sub in (item.operands if isinstance(item, kind) else (item,)))
    )


def _group(expr: Expr, pos: int, hint: str = "") -> tuple[Atom, ...]:
    members = expr.operands if isinstance(expr, Or) else (expr,)
    atoms = tuple(e for e in members if isinstance(e, Term | Region))
    if len(atoms) != len(members):
        raise SchemeSyntaxError(f"proximity operands must be terms, REGION or (a | b) groups{hint}", pos)
    return atoms


def parse(source: str) -> Expr:
    """Parse a scheme expression; raises `SchemeSyntaxError` with a column."""
    src = source.translate(_EXPR_FOLD)
    if not src.strip():
        raise SchemeSyntaxError("empty expression", 0)
    parser = _Parser(src)
    expr = parser.parse_or()
    tok = parser.tok
    if tok.kind != "EOF":
        raise SchemeSyntaxError(
            "unmatched ')'" if tok.kind == "RPAREN" else f"unexpected {tok.text!r}", tok.pos
        )
    return expr


def atoms(expr: Expr, positive: bool = True) -> Iterator[tuple[Atom, bool]]:
    """Every term and REGION in `expr`, and whether it sits under an even number of NOTs."""
    if isinstance(expr, Not):
        yield from atoms(expr.operand, not positive)
    elif isinstance(expr, And | Or):
        for sub in expr.operands:
            yield from atoms(sub, positive)
    elif isinstance(expr, Near):
        for atom in expr.left + expr.right:
            yield atom, positive
    else:
        yield expr, positive


def is_anchored(expr: Expr) -> bool:
    """True when `expr` cannot match a text containing none of its positive terms.

    Every operator is monotone in positive terms and antitone in negated ones, so
    "false on a text with no terms at all" implies "false without a positive term".
    That is what lets the matcher skip a scheme while none of its terms occur.
    """
    return not _true_on_empty(expr)


def _true_on_empty(expr: Expr) -> bool:
    if isinstance(expr, Not):
        return not _true_on_empty(expr.operand)
    if isinstance(expr, And):
        return all(_true_on_empty(e) for e in expr.operands)
    if isinstance(expr, Or):
        return any(_true_on_empty(e) for e in expr.operands)
    return False  # a term, REGION or NEAR needs an occurrence
