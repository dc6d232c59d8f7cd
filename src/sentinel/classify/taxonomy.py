"""Topic taxonomy (classify/taxonomy.yaml): topics, lead departments, keyword schemes.

Staff edit the YAML by hand, so every problem is reported as ``FILE:LINE: where:
what``; lines come from the YAML node tree (``yaml.compose``), not from guessing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, NamedTuple

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from sentinel.classify.schemes import Expr, Region, SchemeSyntaxError, atoms, is_anchored, parse
from sentinel.domain.codes import TOPIC_NAMES_ZH, TopicCode
from sentinel.yamlconf import SafeLoader

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
_DEFER = "defer_cross_checks"  # validation-context flag used by load_taxonomy


class Scheme(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: NonEmpty
    expr: NonEmpty
    # w·0.6 is this scheme's evidence in the topic score; 1.5 caps that at 0.9
    weight: float = Field(default=1.0, gt=0, le=1.5)
    # A labelling convention the office sets: where this scheme matches and one of these topics would be the
    # primary one, this scheme's topic goes first (a dwelling's collapse is 住建's before 安全生产's).
    leads_over: tuple[TopicCode, ...] = ()

    @field_validator("expr")
    @classmethod
    def _parses(cls, value: str) -> str:
        expr = parse(value)  # SchemeSyntaxError is a ValueError: pydantic reports it
        if not is_anchored(expr):
            raise ValueError("matches posts containing none of its terms; add a required term")
        return value

    @cached_property
    def parsed(self) -> Expr:
        return parse(self.expr)

    @property
    def uses_region(self) -> bool:
        return any(isinstance(atom, Region) for atom, _ in atoms(self.parsed))


class Topic(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: NonEmpty
    description: str = ""
    lead_departments: list[NonEmpty] = Field(default_factory=list)
    schemes: list[Scheme] = Field(default_factory=list)


class Problem(NamedTuple):
    path: tuple[str | int, ...]  # where in the document, as pydantic reports it
    message: str


class Taxonomy(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    regions: list[NonEmpty] = Field(default_factory=list)
    topics: dict[TopicCode, Topic]

    @model_validator(mode="after")
    def _cross_checks(self, info: ValidationInfo) -> Taxonomy:
        if not (info.context or {}).get(_DEFER):
            problems = cross_check(self)
            if problems:
                raise ValueError("; ".join(f"{_where(self, p.path)}: {p.message}" for p in problems))
        return self

    def topic(self, code: TopicCode | str) -> Topic:
        code = TopicCode(code)
        if code in self.topics:
            return self.topics[code]
        if code is TopicCode.other:
            return Topic(name=TOPIC_NAMES_ZH[code])
        raise KeyError(code)

    def all_schemes(self) -> Iterator[tuple[TopicCode, Scheme]]:
        for code, topic in self.topics.items():
            for scheme in topic.schemes:
                yield code, scheme

    @property
    def scheme_count(self) -> int:
        return sum(len(t.schemes) for t in self.topics.values())


def cross_check(tax: Taxonomy) -> list[Problem]:
    """Rules spanning several fields: all topics present, unique names, REGION defined."""
    problems = [
        Problem(("topics",), f"topic '{code}' is missing")
        for code in TopicCode
        if code is not TopicCode.other and code not in tax.topics
    ]
    for code, topic in tax.topics.items():
        seen: set[str] = set()
        for i, scheme in enumerate(topic.schemes):
            path = ("topics", code.value, "schemes", i)
            if scheme.name in seen:
                problems.append(Problem((*path, "name"), "duplicate scheme name in this topic"))
            seen.add(scheme.name)
            if scheme.uses_region and not tax.regions:
                problems.append(Problem((*path, "expr"), "uses REGION but no regions are set"))
    return problems


class TaxonomyError(ValueError):
    """The taxonomy file is invalid; `problems` are lines of ``file:line: where: what``."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _where(data: Any, path: tuple[str | int, ...]) -> str:
    """Human location such as ``topic 'housing' scheme '烂尾楼' expr``."""
    parts: list[str] = []
    node = data
    for i, step in enumerate(path):
        parent = path[i - 1] if i else None
        node = _child(node, step)
        if parent == "topics":
            parts.append(f"topic '{step}'")
        elif parent == "schemes" and isinstance(step, int):
            name = node.get("name") if isinstance(node, dict) else getattr(node, "name", None)
            parts.append(f"scheme '{name}'" if isinstance(name, str) else f"scheme #{step + 1}")
        elif isinstance(step, int):
            parts.append(f"#{step + 1}")
        elif step not in ("topics", "schemes", "[key]"):
            parts.append(step)
    return " ".join(parts) or "document"


def _child(node: Any, step: str | int) -> Any:
    if isinstance(node, dict):
        return node.get(step)  # TopicCode is a StrEnum, so str keys find it
    if isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
        return node[step]
    if isinstance(node, BaseModel) and isinstance(step, str):
        return getattr(node, step, None)
    return None


def _line(root: yaml.Node, path: tuple[str | int, ...]) -> int:
    """1-based line of the deepest part of `path` present in the document.

    A mapping entry reports its key's line (a block value starts on the next
    line); the final scalar reports its own line (it may be a folded block).
    """
    node, line = root, root.start_mark.line
    for step in path:
        if isinstance(node, yaml.MappingNode):
            entry = next(((k, v) for k, v in node.value if k.value == step), None)
            if entry is None:
                break
            line, node = entry[0].start_mark.line, entry[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
            line = node.start_mark.line
        else:
            break
    else:
        if isinstance(node, yaml.ScalarNode):
            line = node.start_mark.line
    return line + 1


def _duplicate_keys(node: yaml.Node, name: str) -> list[str]:
    out: list[str] = []
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if key.value in seen:
                out.append(f"{name}:{key.start_mark.line + 1}: key '{key.value}' appears twice")
            seen.add(key.value)
            out.extend(_duplicate_keys(value, name))
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            out.extend(_duplicate_keys(item, name))
    return out


def parse_taxonomy(text: str, name: str = "taxonomy.yaml") -> Taxonomy:
    """Validate taxonomy YAML text; `name` prefixes every reported line."""
    loader = SafeLoader(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise TaxonomyError([f"{name}:{line}: YAML syntax: {exc.problem or exc}"]) from exc
    finally:
        loader.dispose()
    if root is None or not isinstance(data, dict):
        raise TaxonomyError([f"{name}:1: document: expected a mapping with 'topics'"])
    dupes = _duplicate_keys(root, name)
    if dupes:
        raise TaxonomyError(dupes)
    try:
        tax = Taxonomy.model_validate(data, context={_DEFER: True})
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_url=False):
            path = tuple(err["loc"])
            msg = err["msg"].removeprefix("Value error, ")
            problems.append(f"{name}:{_line(root, path)}: {_where(data, path)}: {msg}")
        raise TaxonomyError(problems) from exc
    problems = [
        f"{name}:{_line(root, p.path)}: {_where(data, p.path)}: {p.message}" for p in cross_check(tax)
    ]
    if problems:
        raise TaxonomyError(problems)
    return tax


def find_taxonomy_file(start: Path | None = None) -> Path:
    """Locate taxonomy.yaml: $SENTINEL_TAXONOMY, $SENTINEL_CONFIG_DIR, then walk up.

    Walking up looks for ``classify/taxonomy.yaml`` from the current directory and
    then from this package (a source checkout); an installed package relies on
    the environment variables.
    """
    tried: list[str] = []
    explicit = os.environ.get("SENTINEL_TAXONOMY")
    if explicit:
        return Path(explicit)
    config_dir = os.environ.get("SENTINEL_CONFIG_DIR")
    candidates: list[Path] = []
    if config_dir:
        candidates += [Path(config_dir) / "taxonomy.yaml", Path(config_dir) / "classify" / "taxonomy.yaml"]
    for base in (start or Path.cwd(), Path(__file__).resolve().parent):
        candidates += [d / "classify" / "taxonomy.yaml" for d in (base, *base.parents)]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
        tried.append(str(candidate))
    raise FileNotFoundError(
        "taxonomy.yaml not found; set SENTINEL_TAXONOMY or SENTINEL_CONFIG_DIR (looked in "
        + ", ".join(tried[:6])
        + ", ...)"
    )


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    """Load and validate the taxonomy; raises `TaxonomyError` naming file and line."""
    path = path or find_taxonomy_file()
    return parse_taxonomy(path.read_text(encoding="utf-8"), name=str(path))


__all__ = [
    "Scheme",
    "SchemeSyntaxError",
    "Taxonomy",
    "TaxonomyError",
    "Topic",
    "find_taxonomy_file",
    "load_taxonomy",
    "parse_taxonomy",
]
