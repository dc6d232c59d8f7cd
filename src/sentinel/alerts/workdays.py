"""Chinese working days: statutory holidays and 调休 working weekends.

Sources, in order, per calendar year:

1. the `chinese_calendar` package (State Council notices it ships; 2004–2026 in 1.11);
2. alerts/holidays.yaml, maintained by operators from the State Council notice published each
   November (a year counts as configured only if it lists at least one holiday);
3. otherwise Monday–Friday, with a visible warning naming the year: a deadline computed that
   way may be wrong around holidays, and duty staff must be able to see that.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from pathlib import Path

import chinese_calendar
from pydantic import BaseModel, ConfigDict, Field, model_validator

from sentinel.domain.timeutil import SHANGHAI
from sentinel.yamlconf import load_yaml_model

log = logging.getLogger("sentinel.alerts.workdays")

# The library knows a contiguous span of years; beyond it `is_workday` raises.
_LIB_YEARS = range(min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year + 1)
MAX_WORKDAYS = 3660  # ~14 years of working days: bounds the loop against a corrupt input


def fallback_warning(year: int) -> str:
    return (
        f"{year}年节假日安排未配置，按周一至周五计算 "
        f"(no holiday schedule for {year}: counting Monday–Friday as working days)"
    )


class YearSchedule(BaseModel):
    """One year as the State Council notice gives it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    holidays: tuple[date, ...] = ()  # days off, including weekdays moved off by 调休
    workdays: tuple[date, ...] = Field(default=(), description="weekend days worked (调休)")

    @model_validator(mode="after")
    def _consistent(self) -> YearSchedule:
        clash = set(self.holidays) & set(self.workdays)
        if clash:
            raise ValueError(f"dates both holiday and workday: {sorted(clash)}")
        weekdays = [d for d in self.workdays if d.weekday() < 5]
        if weekdays:
            raise ValueError(f"调休 workdays must be Saturdays or Sundays: {weekdays}")
        return self


class HolidayFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    years: dict[int, YearSchedule | None] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _dates_in_their_year(self) -> HolidayFile:
        for year, schedule in self.years.items():
            if schedule is None:
                continue
            stray = [d for d in (*schedule.holidays, *schedule.workdays) if d.year != year]
            if stray:
                raise ValueError(f"holidays.yaml: dates outside {year}: {stray}")
        return self


def load_holidays(path: Path) -> dict[int, YearSchedule]:
    """Configured years from an operator file; a missing file configures nothing."""
    if not path.exists():
        return {}
    parsed = load_yaml_model(path, HolidayFile)
    return {year: s for year, s in parsed.years.items() if s is not None and s.holidays}


class WorkdayCalendar:
    """Answers "is this a working day" and "when do N working days end"."""

    def __init__(self, overrides: Mapping[int, YearSchedule] | None = None) -> None:
        self._years = dict(overrides or {})
        self._warned: set[int] = set()

    @classmethod
    def from_file(cls, path: Path) -> WorkdayCalendar:
        return cls(load_holidays(path))

    def source(self, year: int) -> str | None:
        """Which source decides `year`: 'chinese_calendar', 'holidays.yaml', or None (fallback)."""
        if year in _LIB_YEARS:
            return "chinese_calendar"
        if year in self._years:
            return "holidays.yaml"
        return None

    def warning_for(self, year: int) -> str | None:
        return fallback_warning(year) if self.source(year) is None else None

    def is_workday(self, day: date) -> bool:
        if isinstance(day, datetime):  # a datetime is a date subclass; its zone decides the day
            raise TypeError("is_workday takes a date; convert the datetime to Asia/Shanghai first")
        source = self.source(day.year)
        if source == "chinese_calendar":
            return bool(chinese_calendar.is_workday(day))
        if source == "holidays.yaml":
            schedule = self._years[day.year]
            if day in schedule.workdays:
                return True
            if day in schedule.holidays:
                return False
            return day.weekday() < 5
        if day.year not in self._warned:  # log once per year; add_workdays returns it per call
            self._warned.add(day.year)
            log.warning(fallback_warning(day.year))
        return day.weekday() < 5

    def add_workdays(self, start: datetime, n: int) -> tuple[datetime, list[str]]:
        """End of a window of `n` working days starting at `start`.

        The day of `start` does not count, whatever the hour: the window ends at the end
        (23:59:59.999999 Asia/Shanghai) of the n-th working day after the start's date, which
        is how "3个工作日内" is usually counted. A request received on a Friday afternoon before
        a normal weekend with n=3 is due at the end of Wednesday. n=0 gives the end of the
        start's own day.

        Returns (due, warnings): one warning per year whose schedule is unknown and that the
        window touched (then that year is counted Monday–Friday). Never raises for unknown years.
        """
        if start.tzinfo is None or start.utcoffset() is None:
            raise ValueError("add_workdays needs a timezone-aware start")
        if not 0 <= n <= MAX_WORKDAYS:
            raise ValueError(f"n must be between 0 and {MAX_WORKDAYS}, got {n}")
        day = start.astimezone(SHANGHAI).date()
        unknown: list[int] = []
        counted = 0
        while counted < n:
            day += timedelta(days=1)
            if self.source(day.year) is None and day.year not in unknown:
                unknown.append(day.year)
            if self.is_workday(day):
                counted += 1
        due = datetime.combine(day, time.max, tzinfo=SHANGHAI)
        return due, [fallback_warning(year) for year in unknown]
