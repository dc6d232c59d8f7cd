"""Operator YAML files validated by pydantic, with errors that name the file and line."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)
# libyaml's loader when PyYAML was built with it: the same documents and marks, about ten times
# faster (a province's units.yaml with thousands of units is read at every start).
SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ConfigError(ValueError):
    """A configuration file is invalid; the message names file, line and field."""


def _line_of(node: yaml.Node | None, loc: tuple[int | str, ...]) -> int | None:
    """Follow a pydantic error location through the YAML node tree to a 1-based line."""
    line = node.start_mark.line + 1 if node is not None else None
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if getattr(k, "value", None) == str(key)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            match = node.value[key]
        else:
            match = None
        if match is None:
            break
        node = match
        line = node.start_mark.line + 1
    return line


def _line_of_named(node: yaml.Node | None, message: str) -> int | None:
    """For a check across entries (no field location): the line of the first scalar the message
    quotes, e.g. `unknown role 'office_haed'` → where office_haed is written."""
    quoted = re.findall(r"'([^']+)'", message)
    if node is None or not quoted:
        return None
    stack: list[yaml.Node] = [node]
    lines: dict[str, int] = {}
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.ScalarNode):
            line = current.start_mark.line + 1
            lines[current.value] = min(lines.get(current.value, line), line)
        elif isinstance(current, yaml.MappingNode):
            stack += [n for pair in current.value for n in pair]
        elif isinstance(current, yaml.SequenceNode):
            stack += current.value
    return next((lines[q] for q in quoted if q in lines), None)


def load_yaml_model(path: Path, model: type[M], prepare: Callable[[Any], Any] | None = None) -> M:
    """`prepare`: applied to the parsed document before validation (e.g. expanding ${ENV} references);
    a ValueError it raises is reported against the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from exc
    try:
        data: Any = yaml.load(text, Loader=SafeLoader)  # noqa: S506 - a safe loader (libyaml's or PyYAML's)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise ConfigError(f"{where}: invalid YAML: {getattr(exc, 'problem', exc)}") from exc
    except ValueError as exc:  # a scalar YAML types but cannot build, e.g. the date 2027-02-30
        raise ConfigError(f"{path}: invalid value: {exc}") from exc
    if prepare is not None:
        try:
            data = prepare(data or {})
        except ValueError as exc:
            raise ConfigError(f"{path}: {exc}") from exc
    try:
        return model.model_validate(data or {})
    except ValidationError as exc:
        node = yaml.compose(text, Loader=SafeLoader)  # the node tree only to name lines in errors
        messages = []
        for err in exc.errors()[:10]:
            loc = tuple(err["loc"])
            line = _line_of(node, loc) if loc else _line_of_named(node, err["msg"]) or _line_of(node, loc)
            field = ".".join(str(p) for p in loc) or "(top level)"
            messages.append(f"{path}:{line or '?'}: {field}: {err['msg']}")
        raise ConfigError("\n".join(messages)) from exc
