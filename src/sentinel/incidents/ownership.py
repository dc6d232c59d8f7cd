"""属地管理: region words → the owning unit; several regions → their lowest common parent."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from sentinel.yamlconf import load_yaml_model

_aho: Any = importlib.import_module("ahocorasick")  # pyahocorasick ships no type hints


class Unit(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    name: str
    level: str
    parent: str | None = None
    regions: tuple[str, ...] = ()
    # Named places below the unit (乡镇, 街道) → their other spellings. They own nothing (the unit
    # does) but tell its events apart: a county office's posts all name the county.
    places: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    contacts: dict[str, str] = Field(default_factory=dict)


class Units(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    units: tuple[Unit, ...]

    @model_validator(mode="after")
    def _parents_exist(self) -> Units:
        ids = {u.id for u in self.units}
        for unit in self.units:
            if unit.parent and unit.parent not in ids:
                raise ValueError(f"unit {unit.id}: unknown parent {unit.parent!r}")
        return self


class Ownership:
    def __init__(self, units: Units) -> None:
        self.units = {u.id: u for u in units.units}
        self.region_words = frozenset(w for u in units.units for w in u.regions)
        self.root_names = tuple(u.name for u in units.units if u.parent is None)
        # One automaton over every region word: a text is scanned once, however many units (a
        # province has thousands) and however alike their names.
        self._automaton = _region_automaton(units)
        self.place_words = frozenset(w for u in units.units for name, other in u.places.items() for w in (name, *other))
        self._places = _place_automaton(units)
        self.local_words = self.region_words | self.place_words  # not specific enough to be an anchor

    @classmethod
    def load(cls, path: Path) -> Ownership:
        return cls(load_yaml_model(path, Units))

    def regions_in(self, text: str) -> list[str]:
        """Unit ids whose region words occur in the text, in order of first appearance."""
        if self._automaton is None:
            return []
        first: dict[str, tuple[int, int]] = {}  # unit id → (first position, rank in units.yaml)
        for end, (length, owners) in self._automaton.iter(text):
            start = end - length + 1
            for rank, unit_id in owners:
                if unit_id not in first or (start, rank) < first[unit_id]:
                    first[unit_id] = (start, rank)
        return sorted(first, key=first.__getitem__)

    def without_local_words(self, text: str) -> str:
        """The text with the jurisdiction's region and place words blanked (same length). Which unit or
        place a post is about is weighed once, as its units; left in its words too, the county's
        name alone would make any two posts of a quiet county look alike."""
        spans: list[tuple[int, int]] = []
        if self._automaton is not None:
            spans += [(end - length + 1, end + 1) for end, (length, _) in self._automaton.iter(text)]
        if self._places is not None:
            spans += [(end - len(word) + 1, end + 1) for end, (word, _) in self._places.iter(text)]
        if not spans:
            return text
        chars = list(text)
        for start, stop in spans:
            chars[start:stop] = " " * (stop - start)
        return "".join(chars)

    def places_in(self, text: str) -> list[str]:
        """Place keys (``unit id/place``) named in the text, in order of first appearance."""
        if self._places is None:
            return []
        return list(dict.fromkeys(key for _, key in sorted(
            (end - len(word) + 1, key) for end, (word, key) in self._places.iter(text))))

    def local_units(self, unit_ids: list[str], places: list[str]) -> frozenset[str]:
        """What tells events apart: each unit, or instead the places below it that the text names
        (a place names its unit too: 石门镇 is in 青石县)."""
        below = {unit_of(p) for p in places}
        return frozenset([u for u in unit_ids if u not in below] + places)

    def unit_for_region(self, region: str | None) -> str | None:
        if not region:
            return None
        if region in self.units:
            return region
        ids = self.regions_in(region)
        return ids[0] if ids else None

    def most_specific(self, unit_ids: list[str], drop_root: bool = False) -> list[str]:
        """Drop a unit when a unit below it is also named; optionally drop the top-level unit."""
        known = [u for u in dict.fromkeys(unit_ids) if u in self.units]
        specific = [u for u in known if not any(u != v and u in self._chain(v) for v in known)]
        if drop_root:
            specific = [u for u in specific if self.units[u].parent is not None]
        return specific

    def owner(self, unit_ids: list[str]) -> Unit | None:
        """The most specific unit covering all of them (their lowest common ancestor)."""
        # "清江新港区…" names the city and the district: the district owns it (属地管理).
        chains = [self._chain(u) for u in self.most_specific(unit_ids)]
        if not chains:
            return None
        common = [u for u in chains[0] if all(u in chain for chain in chains[1:])]
        return self.units[common[0]] if common else None

    def common_owner(self, unit_ids: list[str]) -> Unit | None:
        """Their lowest common ancestor, each unit counted as it is: a city-owned incident merged
        with a district's stays with the city (owner() would let the district's name win)."""
        chains = [self._chain(u) for u in dict.fromkeys(unit_ids) if u in self.units]
        if not chains:
            return None
        common = [u for u in chains[0] if all(u in chain for chain in chains[1:])]
        return self.units[common[0]] if common else None

    def _chain(self, unit_id: str) -> list[str]:
        chain = []
        current: str | None = unit_id
        while current is not None and current not in chain:
            chain.append(current)
            current = self.units[current].parent
        return chain

    def name(self, unit_id: str | None) -> str | None:
        return self.units[unit_id].name if unit_id and unit_id in self.units else None


def unit_of(key: str) -> str:
    """The unit of a unit id or of a place key (``unit id/place``)."""
    return key.split("/", 1)[0]


def _place_automaton(units: Units) -> Any:
    """Place word → (the word, its place key)."""
    words = {w: f"{u.id}/{name}" for u in units.units for name, other in u.places.items() for w in (name, *other) if w}
    if not words:
        return None
    automaton = _aho.Automaton()
    for word, key in words.items():
        automaton.add_word(word, (word, key))
    automaton.make_automaton()
    return automaton


def _region_automaton(units: Units) -> Any:
    """Region word → (its length, [(rank, unit id), …]); rank keeps units.yaml's order for ties."""
    owners: dict[str, list[tuple[int, str]]] = {}
    rank = 0
    for unit in units.units:
        for word in unit.regions:
            if word:
                owners.setdefault(word, []).append((rank, unit.id))
                rank += 1
    if not owners:
        return None
    automaton = _aho.Automaton()
    for word, who in owners.items():
        automaton.add_word(word, (len(word), tuple(who)))
    automaton.make_automaton()
    return automaton
