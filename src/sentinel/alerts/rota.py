"""Who is on duty (值班): shifts by unit and role, working days and holidays, overnight shifts,
handover, and fixed escalation contacts; falls back to the parent unit, then to the role name."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from sentinel.alerts.workdays import WorkdayCalendar
from sentinel.domain.alerting import Recipient
from sentinel.domain.timeutil import to_shanghai
from sentinel.incidents.ownership import Ownership
from sentinel.yamlconf import ConfigError, load_yaml_model

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Person(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str
    phone: str | None = None
    email: str | None = None
    channels: tuple[str, ...] = ()


_CLOCK_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d")


def _clock_time(value: object, *, end: bool) -> str:
    """A strict quoted "HH:MM" (an end may be "24:00"). YAML 1.1 reads an unquoted 17:30 as the
    number 1050, which pydantic would take for 00:17:30: refused, with a hint, never guessed."""
    if not isinstance(value, str):
        raise ValueError(f'write the time in quotes as "HH:MM", e.g. "17:30" (read {value!r}) / 时间须加引号写成 "17:30"')
    if not (_CLOCK_TIME.fullmatch(value) or (end and value == "24:00")):
        raise ValueError(f'time must be "HH:MM" (00:00–23:59{", or 24:00" if end else ""}), got {value!r}')
    return value


class Shift(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)
    unit: str
    role: str
    days: Literal["workdays", "non_workdays", "all"] | tuple[Weekday, ...] = "all"
    start: str = Field(alias="from")
    end: str = Field(alias="to")  # "24:00" allowed
    person: str

    @field_validator("start", mode="before")
    @classmethod
    def _start(cls, value: object) -> str:
        return _clock_time(value, end=False)

    @field_validator("end", mode="before")
    @classmethod
    def _end(cls, value: object) -> str:
        return _clock_time(value, end=True)

    def start_time(self) -> time:
        return time.fromisoformat(self.start)

    def end_time(self) -> timedelta:
        hours, minutes = (int(x) for x in self.end.split(":"))
        return timedelta(hours=hours, minutes=minutes)


class Rota(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    handover_minutes: int = Field(default=15, ge=0)
    people: dict[str, Person]
    shifts: tuple[Shift, ...] = ()
    escalation: dict[str, dict[str, str]] = Field(default_factory=dict)

    def model_post_init(self, _context: object) -> None:
        for shift in self.shifts:
            if shift.person not in self.people:
                raise ValueError(f"shift for {shift.unit}/{shift.role}: unknown person {shift.person!r}")
        for unit, roles in self.escalation.items():
            for role, person in roles.items():
                if person not in self.people:
                    raise ValueError(f"escalation {unit}/{role}: unknown person {person!r}")


def load_rota(path: Path) -> Rota:
    return load_yaml_model(path, Rota)


def load_oncall(path: Path, ownership: Ownership, calendar: WorkdayCalendar, roles: Iterable[str] = ()) -> OnCall:
    """The rota checked against the jurisdiction: a misspelt unit, role or person would page nobody."""
    oncall = OnCall(load_rota(path), ownership, calendar)
    problems = oncall.problems(set(roles))
    if problems:
        raise ConfigError("\n".join(f"{path}: {p}" for p in problems))
    return oncall


class OnCall:
    def __init__(self, rota: Rota, ownership: Ownership, calendar: WorkdayCalendar) -> None:
        self.rota = rota
        self.ownership = ownership
        self.calendar = calendar

    def problems(self, roles: set[str]) -> list[str]:
        """Entries naming a unit that units.yaml lacks, a role no policy uses (when `roles` is given),
        or a units.yaml contact that is no person of the rota."""
        units = self.ownership.units
        found = []
        for i, shift in enumerate(self.rota.shifts):
            if shift.unit not in units:
                found.append(f"shifts[{i}]: unknown unit {shift.unit!r} (not in units.yaml) / 未知单位")
            if roles and shift.role not in roles:
                found.append(f"shifts[{i}]: unknown role {shift.role!r} (policies use {sorted(roles)}) / 未知角色")
        for unit_id, by_role in self.rota.escalation.items():
            if unit_id not in units:
                found.append(f"escalation.{unit_id}: unknown unit {unit_id!r} (not in units.yaml) / 未知单位")
            found += [f"escalation.{unit_id}.{role}: unknown role {role!r} / 未知角色"
                      for role in by_role if roles and role not in roles]
        for unit in units.values():
            found += [f"units.yaml {unit.id}.contacts.{role}: {person!r} is no person in this rota / 值班表中无此人"
                      for role, person in unit.contacts.items() if person not in self.rota.people]
        return found

    def holders(self, unit_id: str, role: str, at: datetime) -> list[Person]:
        """People holding `role` for `unit_id` at `at`, looking up the parent units if nobody does."""
        current: str | None = unit_id
        seen: set[str] = set()
        while current is not None and current not in seen:
            seen.add(current)
            people = self._direct(current, role, at)
            if people:
                return people
            unit = self.ownership.units.get(current)
            current = unit.parent if unit else None
        return []

    def _direct(self, unit_id: str, role: str, at: datetime) -> list[Person]:
        fixed = self.rota.escalation.get(unit_id, {}).get(role)
        if fixed:
            return [self.rota.people[fixed]]
        local = to_shanghai(at)
        found: list[Person] = []
        handover = timedelta(minutes=self.rota.handover_minutes)
        for shift in self.rota.shifts:
            if shift.unit == unit_id and shift.role == role and self._covers(shift, local, handover):
                person = self.rota.people[shift.person]
                if person not in found:
                    found.append(person)
        if not found:  # units.yaml names a standing contact for the role
            unit = self.ownership.units.get(unit_id)
            contact = unit.contacts.get(role) if unit else None
            if contact in self.rota.people:
                found.append(self.rota.people[contact])
        return found

    def _covers(self, shift: Shift, local: datetime, handover: timedelta) -> bool:
        # A shift is checked against the day it started on: today's, and yesterday's overnight one.
        for day_offset in (0, -1):
            day = (local + timedelta(days=day_offset)).date()
            if not self._day_matches(shift, day):
                continue
            start = datetime.combine(day, shift.start_time(), local.tzinfo)
            end = datetime.combine(day, time(0), local.tzinfo) + shift.end_time()
            if end <= start:
                end += timedelta(days=1)
            # The outgoing officer stays on the list `handover` past the end, so around a handover
            # both officers are notified.
            if start <= local < end + handover:
                return True
        return False

    def _day_matches(self, shift: Shift, day: date) -> bool:
        if shift.days == "all":
            return True
        if shift.days == "workdays":
            return self.calendar.is_workday(day)
        if shift.days == "non_workdays":
            return not self.calendar.is_workday(day)
        return _WEEKDAYS[day.weekday()] in shift.days

    def recipients(
        self, roles: tuple[str, ...], unit_id: str | None, at: datetime, role_names: dict[str, str]
    ) -> tuple[Recipient, ...]:
        out: list[Recipient] = []
        for role in roles:
            people = self.holders(unit_id, role, at) if unit_id else []
            if not people:
                out.append(Recipient(name=role_names.get(role, role), role=role, unit=unit_id))
            for person in people:
                out.append(Recipient(name=person.name, role=role, unit=unit_id, channels=person.channels,
                                     phone=person.phone, email=person.email))
        return tuple(out)
