"""Response-window policies (alerts/policies.yaml): what starts a window, how long, what fulfils it,
and the reminder/escalation steps it fires."""

from __future__ import annotations

import re
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, field_validator, model_validator

from sentinel.domain.alerting import WindowKind
from sentinel.domain.codes import Grade
from sentinel.yamlconf import load_yaml_model

_ISO_DURATION = TypeAdapter(timedelta)
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([dhms])\s*$")
_UNIT_SECONDS = {"d": 86400, "h": 3600, "m": 60, "s": 1}
_LONGEST = timedelta(days=366)
# The staff actions that start a document window (incidents/actions.py applies them).
STARTING_ACTIONS = ("policy_published", "disclosure_request")


def parse_duration(value: str | int | float | timedelta) -> timedelta:
    """'5h', '30m', '1d', '90s', a number of minutes, or ISO 8601 (how snapshots serialise it)."""
    if isinstance(value, timedelta):
        return value
    if isinstance(value, str) and value.startswith("P"):
        return _ISO_DURATION.validate_python(value)
    if isinstance(value, int | float):
        if not abs(value) <= _LONGEST.total_seconds() / 60:  # also refuses NaN
            raise ValueError(f"duration {value!r} minutes is longer than {_LONGEST.days} days")
        return timedelta(minutes=value)
    match = _DURATION.match(value)
    if not match:
        raise ValueError(f"invalid duration {value!r}: use e.g. 30m, 1h, 1d")
    seconds = float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
    if seconds > _LONGEST.total_seconds():  # past this a deadline overflows the calendar, at every tick
        raise ValueError(f"duration {value!r} is longer than {_LONGEST.days} days")
    return timedelta(seconds=seconds)


Duration = timedelta


class Length(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    hours: float | None = Field(default=None, gt=0, le=_LONGEST.days * 24, allow_inf_nan=False)
    working_days: int | None = Field(default=None, gt=0, le=250)

    @model_validator(mode="after")
    def _exactly_one(self) -> Length:
        if (self.hours is None) == (self.working_days is None):
            raise ValueError("give exactly one of hours or working_days")
        return self


class Reminder(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    fraction: float | None = Field(default=None, gt=0, lt=1)
    before: timedelta | None = None

    _parse = field_validator("before", mode="before")(lambda v: None if v is None else parse_duration(v))

    @model_validator(mode="after")
    def _exactly_one(self) -> Reminder:
        if (self.fraction is None) == (self.before is None):
            raise ValueError("give exactly one of fraction or before")
        return self

    @property
    def step_id(self) -> str:
        if self.fraction is not None:
            return f"reminder@{self.fraction:g}"
        assert self.before is not None  # noqa: S101 - validated above
        return f"reminder@-{int(self.before.total_seconds() // 60)}m"


class Rung(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    after: timedelta
    to: tuple[str, ...]

    _parse = field_validator("after", mode="before")(lambda v: parse_duration(v))


class WindowPolicy(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: WindowKind
    name: str
    basis: str = ""
    starts_on: str
    grades: tuple[Grade, ...] = ()
    length: Length
    extension: Length | None = None
    fulfilled_by: Literal["record_release", "record_press_conference", "record_response"]
    recurring: bool = False
    reminders: tuple[Reminder, ...] = ()
    escalation: tuple[Rung, ...] = ()
    repeat_every: timedelta | None = None
    repeat_until_after_due: timedelta = timedelta(hours=24)
    on_breach: tuple[str, ...] = ()

    _parse = field_validator("repeat_every", "repeat_until_after_due", mode="before")(
        lambda v: None if v is None else parse_duration(v)
    )

    @field_validator("starts_on")
    @classmethod
    def _known_start(cls, value: str) -> str:
        if value in {"grade", "needs_response"}:
            return value
        if value.startswith("fulfilled:") and value.removeprefix("fulfilled:") in {k.value for k in WindowKind}:
            return value  # the file's own windows are checked in PolicySet
        if value.startswith("action:") and value.removeprefix("action:") in STARTING_ACTIONS:
            return value
        raise ValueError("starts_on must be grade, needs_response, fulfilled:<window kind> "
                         f"({', '.join(k.value for k in WindowKind)}) or action:<{' | '.join(STARTING_ACTIONS)}>, "
                         f"got {value!r}")


class PolicySet(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    roles: dict[str, str] = Field(default_factory=dict)
    heat_threshold: float = 60.0
    windows: tuple[WindowPolicy, ...]

    @model_validator(mode="after")
    def _roles_known(self) -> PolicySet:
        for window in self.windows:
            for role in (*window.on_breach, *(r for rung in window.escalation for r in rung.to)):
                if self.roles and role not in self.roles:
                    raise ValueError(f"window {window.kind}: unknown role {role!r}")
        kinds = [w.kind for w in self.windows]
        if len(kinds) != len(set(kinds)):
            raise ValueError("each window kind may appear once")
        for window in self.windows:
            after = window.starts_on.removeprefix("fulfilled:")
            if after != window.starts_on and after not in {k.value for k in kinds}:
                raise ValueError(f"window {window.kind}: starts_on {window.starts_on!r} names no window of this file")
        return self

    def window(self, kind: WindowKind) -> WindowPolicy | None:
        return next((w for w in self.windows if w.kind == kind), None)

    def role_zh(self, role: str) -> str:
        return self.roles.get(role, role)


@lru_cache(maxsize=256)
def policy_from_snapshot(snapshot: str) -> WindowPolicy:
    """Clocks keep the policy they started with as JSON; the engine reads it on every tick."""
    return WindowPolicy.model_validate_json(snapshot)


def load_policies(path: Path) -> PolicySet:
    return load_yaml_model(path, PolicySet)
