"""属地管理: region words → the owning unit; several regions → their lowest common parent."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from sentinel.yamlconf import load_yaml_model


class Unit(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    name: str
    level: str
    parent: str | None = None
    regions: tuple[str, ...] = ()
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
        # Region words by first character: a text is scanned once, however many units there are.
        self._by_first: dict[str, list[tuple[str, str]]] = {}
        for unit in units.units:
            for word in unit.regions:
                self._by_first.setdefault(word[0], []).append((word, unit.id))

    @classmethod
    def load(cls, path: Path) -> Ownership:
        return cls(load_yaml_model(path, Units))

    def regions_in(self, text: str) -> list[str]:
        """Unit ids whose region words occur in the text, in order of first appearance."""
        found: dict[str, int] = {}  # unit id → first position, in order of first appearance
        by_first = self._by_first
        for pos, char in enumerate(text):
            for word, unit_id in by_first.get(char, ()):
                if unit_id not in found and text.startswith(word, pos):
                    found[unit_id] = pos
        return list(found)

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

    def _chain(self, unit_id: str) -> list[str]:
        chain = []
        current: str | None = unit_id
        while current is not None and current not in chain:
            chain.append(current)
            current = self.units[current].parent
        return chain

    def name(self, unit_id: str | None) -> str | None:
        return self.units[unit_id].name if unit_id and unit_id in self.units else None
