"""Matching posts against monitoring schemes, and keyword topic scores.

`evaluate` matches one expression against one text and returns the term
occurrences that made it true. `SchemeSet` does that for all schemes at once:

1. one scan of the post finds the schemes' *anchor* terms (a set per scheme of
   which one occurs in every text the scheme matches) with an Aho-Corasick
   automaton (pyahocorasick, a C extension);
2. only schemes with an anchor present are evaluated (by `compile_expr`, the same
   meaning `evaluate` uses); their other terms are looked up with str.find then.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, NamedTuple

from sentinel.classify.schemes import (
    And,
    Atom,
    Expr,
    Near,
    Not,
    Or,
    Region,
    Term,
    atoms,
    is_anchored,
    normalise,
)
from sentinel.classify.taxonomy import Scheme, Taxonomy, load_taxonomy
from sentinel.domain.codes import TopicCode

_aho: Any = importlib.import_module("ahocorasick")  # pyahocorasick ships no type hints
Occ = dict[str, list[tuple[int, int]]]  # normalised term -> (start, end) occurrences
Occurrences = Mapping[str, Sequence[tuple[int, int]]]
# Each matched scheme is read as independent evidence that the post belongs to
# its topic, with strength EVIDENCE·weight: one full-weight scheme gives 0.6, two
# give 0.84, three 0.94 - more distinct angles on a topic, more confidence,
# never quite 1. The scheme weight cap (1.5) keeps a single scheme at <= 0.9.
EVIDENCE = 0.6
_TOPIC_ORDER = {code: i for i, code in enumerate(TopicCode)}


def is_word_char(ch: str) -> bool:
    """Latin letters and digits: terms edged with these need a word boundary."""
    return ch.isascii() and ch.isalnum()


def boundary_ok(text: str, start: int, end: int) -> bool:
    """A latin/digit edge of a match must not continue into more latin/digits."""
    if start > 0 and is_word_char(text[start]) and is_word_char(text[start - 1]):
        return False
    return not (end < len(text) and is_word_char(text[end - 1]) and is_word_char(text[end]))


def find_all(text: str, key: str) -> list[tuple[int, int]]:
    """All (overlapping) occurrences of `key` in normalised `text`."""
    spans: list[tuple[int, int]] = []
    i = text.find(key)
    while i >= 0:
        if boundary_ok(text, i, i + len(key)):
            spans.append((i, i + len(key)))
        i = text.find(key, i + 1)
    return spans


# --- evaluation with explanation -------------------------------------------


class TermSpan(NamedTuple):
    term: str  # the normalised term (or region word) that matched
    start: int
    end: int  # exclusive


@dataclass(frozen=True, slots=True)
class Evaluation:
    matched: bool
    spans: tuple[TermSpan, ...]


Span = tuple[str, int, int]  # a TermSpan in the making: plain tuples are cheaper
Explain = Callable[[Occurrences], list[Span] | None]


def _keys(atom: Atom, regions: Sequence[str]) -> Sequence[str]:
    return regions if isinstance(atom, Region) else (atom.key,)


def compile_expr(expr: Expr, regions: Sequence[str]) -> Explain:
    """The meaning of `expr` as a function of term occurrences.

    It returns None when `expr` is false, else the occurrences that make it true
    (a NOT contributes none). Built once per scheme out of closures, so a post is
    not met with a tree walk; runs of plain terms inside an OR (any of), an AND
    (all of) or its NOTs (none of) are each one C-level `map(occ.get, keys)`.
    """
    if (keys := _group_keys(expr, regions)) is not None:
        return lambda occ: _spans(keys, occ) if any(map(occ.get, keys)) else None
    if isinstance(expr, Not):
        inner = compile_expr(expr.operand, regions)
        return lambda occ: [] if inner(occ) is None else None
    if isinstance(expr, Near):
        left, right = compile_expr(Or(expr.left), regions), compile_expr(Or(expr.right), regions)
        distance = expr.distance
        return lambda occ: _near(left(occ), right, occ, distance)
    if not isinstance(expr, And | Or):  # unreachable: terms and REGION were handled above
        raise TypeError(expr)
    # Plain terms are pooled; in an AND each must occur, so REGION (any of several
    # words) stays a sub-expression there, and negated groups are pooled as "none of".
    pooled = (Term, Region) if isinstance(expr, Or) else (Term,)
    plain = tuple(k for e in expr.operands if isinstance(e, pooled) for k in _keys(e, regions))
    negated = [(e, _group_keys(e.operand, regions)) for e in expr.operands if isinstance(e, Not)]
    folded = {id(e): keys for e, keys in negated if keys is not None and isinstance(expr, And)}
    none_of = tuple(k for keys in folded.values() for k in keys)
    subs = tuple(
        compile_expr(e, regions) for e in expr.operands if not isinstance(e, pooled) and id(e) not in folded
    )
    if isinstance(expr, Or):
        return lambda occ: _any(plain, subs, occ)
    return lambda occ: _all(plain, none_of, subs, occ)


def _group_keys(expr: Expr, regions: Sequence[str]) -> tuple[str, ...] | None:
    """The keys of a term, REGION or OR of those; None for anything else."""
    members = expr.operands if isinstance(expr, Or) else (expr,)
    found = [m for m in members if isinstance(m, Term | Region)]
    return tuple(k for m in found for k in _keys(m, regions)) if len(found) == len(members) else None


def _spans(keys: tuple[str, ...], occ: Occurrences) -> list[Span]:
    return [(k, s, e) for k in keys if (found := occ.get(k)) for s, e in found]


def _all(
    plain: tuple[str, ...], none_of: tuple[str, ...], subs: tuple[Explain, ...], occ: Occurrences
) -> list[Span] | None:
    if not all(map(occ.get, plain)) or any(map(occ.get, none_of)):
        return None
    spans = _spans(plain, occ)
    for sub in subs:
        found = sub(occ)
        if found is None:
            return None
        spans += found
    return spans


def _any(plain: tuple[str, ...], subs: tuple[Explain, ...], occ: Occurrences) -> list[Span] | None:
    spans = _spans(plain, occ) if any(map(occ.get, plain)) else None
    for sub in subs:
        found = sub(occ)
        if found is not None:
            spans = found if spans is None else spans + found
    return spans


def _near(lefts: list[Span] | None, right: Explain, occ: Occurrences, distance: int) -> list[Span] | None:
    rights = right(occ) if lefts else None
    if not lefts or not rights:
        return None
    hits: dict[Span, None] = {}
    for a in lefts:
        _, a_start, a_end = a
        for b in rights:
            _, b_start, b_end = b
            gap = max(b_start - a_end, a_start - b_end, 0)  # characters between them
            if gap <= distance and (a_start != b_start or a_end != b_end):  # two occurrences, not one
                hits[a] = hits[b] = None
    return list(hits) or None


def keys_of(expr: Expr, regions: Sequence[str], *, positive_only: bool = False) -> set[str]:
    """Normalised terms used by `expr` (only those not under an odd number of NOTs)."""
    return {k for atom, pos in atoms(expr) if pos or not positive_only for k in _keys(atom, regions)}


def _ordered(spans: Iterable[Span]) -> tuple[TermSpan, ...]:
    ordered = sorted(set(spans), key=lambda s: (s[1], s[2], s[0]))
    return tuple(map(_as_term_span, ordered))


# tuple.__new__ directly: a namedtuple's own __new__ is Python code, and slower.
_as_term_span: Callable[[Span], TermSpan] = partial(tuple.__new__, TermSpan)


def evaluate(expr: Expr, text: str, *, regions: Sequence[str] = ()) -> Evaluation:
    """Match `expr` against raw `text`; spans index `text` (normalisation keeps length)."""
    norm = normalise(text)
    region_keys = [normalise(r) for r in regions]
    occ = {k: find_all(norm, k) for k in keys_of(expr, region_keys)}
    spans = compile_expr(expr, region_keys)(occ)
    return Evaluation(False, ()) if spans is None else Evaluation(True, _ordered(spans))


# --- choosing what triggers a scheme -----------------------------------------


def _cost(keys: Iterable[str], regions: Sequence[str]) -> float:
    # Rough frequency in our posts: one-character words and the jurisdiction's own
    # place names are everywhere, longer words rare. Only used to choose which side
    # of an AND / NEAR triggers a scheme.
    return sum(1.0 if len(k) == 1 or k in regions else 0.1 if len(k) == 2 else 0.03 for k in keys)


def _anchors(expr: Expr, regions: Sequence[str]) -> frozenset[str] | None:
    """Terms of which one occurs in every text `expr` matches; None if none is known."""
    if isinstance(expr, Term | Region):
        return frozenset(_keys(expr, regions)) or None
    if isinstance(expr, Not):
        return _anchors(expr.operand.operand, regions) if isinstance(expr.operand, Not) else None
    if isinstance(expr, Or):
        subs = [_anchors(e, regions) for e in expr.operands]
        known = [a for a in subs if a is not None]
        return frozenset().union(*known) if len(known) == len(subs) else None
    parts = expr.operands if isinstance(expr, And) else (Or(expr.left), Or(expr.right))
    options = [a for e in parts if (a := _anchors(e, regions)) is not None]
    return min(options, key=lambda keys: _cost(keys, regions), default=None)


# --- all schemes at once -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class SchemeHit:
    topic: TopicCode
    scheme: str
    weight: float
    spans: tuple[TermSpan, ...]  # (term, start, end) offsets into the post text
    leads_over: tuple[TopicCode, ...] = ()  # topics this scheme's topic goes ahead of (Scheme.leads_over)


class _Compiled(NamedTuple):
    topic: TopicCode
    name: str
    weight: float
    leads_over: tuple[TopicCode, ...]
    explain: Explain
    lazy: tuple[str, ...]  # terms the automaton does not report, looked up on demand


class SchemeSet:
    """All schemes compiled once; `match` finds every scheme that a text satisfies."""

    def __init__(self, schemes: Iterable[tuple[TopicCode, Scheme]], regions: Sequence[str] = ()) -> None:
        self._regions = tuple(dict.fromkeys(normalise(r) for r in regions))
        parsed = [(TopicCode(topic), scheme) for topic, scheme in schemes]
        triggers: dict[str, list[int]] = {}
        for index, (_, scheme) in enumerate(parsed):
            if not is_anchored(scheme.parsed):
                raise ValueError(f"scheme {scheme.name!r} has no required term")
            anchors = _anchors(scheme.parsed, self._regions)
            if anchors is None:  # e.g. !(!a | !b): fall back to every positive term
                anchors = frozenset(keys_of(scheme.parsed, self._regions, positive_only=True))
            for key in anchors:
                triggers.setdefault(key, []).append(index)
        self._schemes = [
            _Compiled(
                topic,
                s.name,
                s.weight,
                s.leads_over,
                compile_expr(s.parsed, self._regions),
                tuple(sorted(keys_of(s.parsed, self._regions) - triggers.keys())),
            )
            for topic, s in parsed
        ]
        self._triggers = {k: tuple(v) for k, v in triggers.items()}
        self._automaton = _automaton(triggers)
        self._astral = [k for k in triggers if _ASTRAL.search(k)]

    @classmethod
    def from_taxonomy(cls, taxonomy: Taxonomy) -> SchemeSet:
        return cls(taxonomy.all_schemes(), taxonomy.regions)

    def __len__(self) -> int:
        return len(self._schemes)

    def find_terms(self, text: str) -> Occ:
        """Every occurrence of every scheme term in `text` (for inspection and tests)."""
        norm = normalise(text)
        occ = self._scan(norm)
        for compiled in self._schemes:
            for key in compiled.lazy:
                if key not in occ and (found := find_all(norm, key)):
                    occ[key] = found
        return occ

    def match(self, text: str) -> list[SchemeHit]:
        """Schemes satisfied by `text`, in taxonomy order, each with its term spans."""
        norm = normalise(text)
        occ = self._scan(norm)
        candidates: set[int] = set()
        for key in occ:
            candidates.update(self._triggers.get(key, ()))
        hits: list[SchemeHit] = []
        for index in sorted(candidates):
            compiled = self._schemes[index]
            for key in compiled.lazy:
                if key not in occ and key in norm:  # absent keys stay absent: cheap to ask again
                    occ[key] = find_all(norm, key)
            spans = compiled.explain(occ)
            if spans is not None:
                hits.append(SchemeHit(compiled.topic, compiled.name, compiled.weight, _ordered(spans), compiled.leads_over))
        return hits

    def _scan(self, text: str) -> Occ:
        occ: Occ = {}
        # Astral characters (emoji) become U+FFFD so that every character is 2 units.
        units = _units(_ASTRAL.sub("\ufffd", text) if _ASTRAL.search(text) else text)
        for last, (key, width, edged) in self._automaton.iter(units) if self._automaton else ():
            first = last - width + 1
            if first & 1:
                continue  # matched across a character boundary
            start, end = first >> 1, (first + width) >> 1
            if not edged or boundary_ok(text, start, end):
                occ.setdefault(key, []).append((start, end))
        # Reported by end offset; for one key (one length) that is start order too.
        for key in self._astral:  # terms containing emoji: rare, so plain str.find
            if found := find_all(text, key):
                occ[key] = found
        return occ


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _units(text: str) -> str:
    """UTF-16 code units as latin-1 characters: two per character of BMP text."""
    return text.encode("utf-16-be", "surrogatepass").decode("latin-1")


def _automaton(keys: Iterable[str]) -> Any:
    # pyahocorasick finds a node's children by linear search, so a root with one child
    # per distinct first character (~700 for our terms) slows every step. Spelling
    # keys and text as UTF-16 code units keeps each fan-out under 256: measured twice
    # as fast on 1,500 terms (see bench/bench_schemes.py).
    automaton = _aho.Automaton()
    for key in keys:
        if not _ASTRAL.search(key):
            edged = is_word_char(key[0]) or is_word_char(key[-1])  # needs a boundary check
            automaton.add_word(_units(key), (key, 2 * len(key), edged))
    if not len(automaton):
        return None  # an automaton with no words cannot be finalised or searched
    automaton.make_automaton()
    return automaton


# --- topic scores ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TopicScore:
    topic: TopicCode
    score: float  # in [0, 1]
    hits: tuple[SchemeHit, ...]


def leader(scores: Iterable[TopicScore], primary: TopicCode) -> TopicScore | None:
    """The topic whose matched scheme leads over the would-be primary topic (Scheme.leads_over), if any."""
    return next((s for s in scores if s.topic is not primary and any(primary in h.leads_over for h in s.hits)), None)


def combine(weights: Iterable[float]) -> float:
    """Noisy-OR of scheme evidence (see EVIDENCE); stays in [0, 1]."""
    miss = 1.0
    for weight in weights:
        miss *= 1.0 - min(EVIDENCE * weight, 1.0)
    return round(1.0 - miss, 4)


class KeywordClassifier:
    """Topic scores from keyword schemes; an empty result means "no topic matched"."""

    def __init__(self, taxonomy: Taxonomy | None = None) -> None:
        self.taxonomy = taxonomy if taxonomy is not None else load_taxonomy()
        self.schemes = SchemeSet.from_taxonomy(self.taxonomy)

    def classify(self, text: str) -> list[TopicScore]:
        """Topics best first: by score, then by matched schemes, then taxonomy order; a scheme's topic goes ahead of
        the topics it leads over (Scheme.leads_over)."""
        by_topic: dict[TopicCode, list[SchemeHit]] = {}
        for hit in self.schemes.match(text):
            by_topic.setdefault(hit.topic, []).append(hit)
        scores = [TopicScore(t, combine(h.weight for h in hits), tuple(hits)) for t, hits in by_topic.items()]
        scores.sort(key=lambda s: (-s.score, -len(s.hits), _TOPIC_ORDER[s.topic]))
        lead = leader(scores, scores[0].topic) if scores else None
        return [lead] + [s for s in scores if s is not lead] if lead is not None else scores


__all__ = [
    "Evaluation",
    "KeywordClassifier",
    "SchemeHit",
    "SchemeSet",
    "TermSpan",
    "TopicScore",
    "combine",
    "compile_expr",
    "evaluate",
    "leader",
    "load_taxonomy",
]
