"""Working-day calendar: 2026 holidays with 调休, the 2027 fallback and holidays.yaml."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sentinel.alerts.workdays import WorkdayCalendar, YearSchedule, fallback_warning, load_holidays
from sentinel.domain.timeutil import SHANGHAI

REPO_HOLIDAYS = Path(__file__).resolve().parents[2] / "alerts" / "holidays.yaml"


def end_of(day: date) -> datetime:
    return datetime.combine(day, time.max, tzinfo=SHANGHAI)


def at(y: int, m: int, d: int, hh: int = 10) -> datetime:
    return datetime(y, m, d, hh, tzinfo=SHANGHAI)


@pytest.fixture
def cal() -> WorkdayCalendar:
    return WorkdayCalendar()


def test_spring_festival_2026_schedule(cal: WorkdayCalendar) -> None:
    # As chinese_calendar 1.11 encodes the 2026 notice: 春节 2月15日(周日)至23日(周一)放假,
    # 2月14日(周六)、2月28日(周六)上班.
    assert cal.is_workday(date(2026, 2, 14))  # Saturday, 调休 working day
    assert all(not cal.is_workday(date(2026, 2, d)) for d in range(15, 24))
    assert cal.is_workday(date(2026, 2, 24))
    assert cal.is_workday(date(2026, 2, 28))  # Saturday, 调休 working day
    assert not cal.is_workday(date(2026, 2, 21))  # a Saturday inside the holiday


def test_three_workdays_across_spring_festival(cal: WorkdayCalendar) -> None:
    # Thu 12 Feb: Fri 13 (1), Sat 14 调休 (2), 15–23 off, Tue 24 (3).
    due, warnings = cal.add_workdays(at(2026, 2, 12, 15), 3)
    assert due == end_of(date(2026, 2, 24))
    assert warnings == []
    # Starting on the 调休 Saturday itself: that day does not count.
    due, _ = cal.add_workdays(at(2026, 2, 14, 9), 1)
    assert due == end_of(date(2026, 2, 24))


def test_national_day_2026_with_tiaoxiu(cal: WorkdayCalendar) -> None:
    # 中秋 9月25–27日; 国庆 10月1–7日; 9月20日(周日)、10月10日(周六)上班.
    assert cal.is_workday(date(2026, 9, 20))
    assert not cal.is_workday(date(2026, 9, 25))
    assert all(not cal.is_workday(date(2026, 10, d)) for d in range(1, 8))
    assert cal.is_workday(date(2026, 10, 10))
    # Wed 30 Sep afternoon: Oct 1–7 off, Thu 8 (1), Fri 9 (2), Sat 10 调休 (3).
    due, warnings = cal.add_workdays(at(2026, 9, 30, 16), 3)
    assert due == end_of(date(2026, 10, 10))
    assert warnings == []
    # Policy interpretation received Fri 18 Sep: Sun 20 调休 (1), Mon 21 (2), Tue 22 (3).
    due, _ = cal.add_workdays(at(2026, 9, 18, 17), 3)
    assert due == end_of(date(2026, 9, 22))


def test_start_day_is_taken_in_shanghai_time(cal: WorkdayCalendar) -> None:
    # 20:00 UTC on Thu 12 Feb is 04:00 Fri 13 Feb in Shanghai: Friday is the start day.
    due, _ = cal.add_workdays(datetime(2026, 2, 12, 20, tzinfo=UTC), 1)
    assert due == end_of(date(2026, 2, 14))
    assert due.utcoffset() == timedelta(hours=8)


def test_twenty_workdays_into_unconfigured_2027_warn(cal: WorkdayCalendar) -> None:
    # Tue 15 Dec 2026: 12 working days left in 2026, then Mon–Fri in 2027 incl. Fri 1 Jan.
    due, warnings = cal.add_workdays(at(2026, 12, 15), 20)
    assert due == end_of(date(2027, 1, 12))
    assert warnings == [fallback_warning(2027)]
    assert "2027年节假日安排未配置，按周一至周五计算" in warnings[0]
    assert "Monday–Friday" in warnings[0]


def test_twenty_workdays_into_2027_from_holidays_yaml(tmp_path: Path) -> None:
    path = tmp_path / "holidays.yaml"
    path.write_text(
        "years:\n  2027:\n    holidays: [2027-01-01, 2027-01-04]\n    workdays: [2027-01-09]\n",
        encoding="utf-8",
    )
    cal = WorkdayCalendar.from_file(path)
    assert cal.source(2027) == "holidays.yaml"
    assert not cal.is_workday(date(2027, 1, 1))
    assert cal.is_workday(date(2027, 1, 9))  # a configured 调休 Saturday
    # 12 in 2026, then Tue 5 … Fri 8 (16), Sat 9 (17), Mon 11, Tue 12, Wed 13 (20).
    due, warnings = cal.add_workdays(at(2026, 12, 15), 20)
    assert due == end_of(date(2027, 1, 13))
    assert warnings == []


def test_shipped_holidays_yaml_loads_and_leaves_2027_unconfigured() -> None:
    cal = WorkdayCalendar.from_file(REPO_HOLIDAYS)
    assert cal.source(2026) == "chinese_calendar"
    assert cal.source(2027) is None
    assert cal.warning_for(2027) == fallback_warning(2027)


def test_missing_file_and_empty_year_count_as_unconfigured(tmp_path: Path) -> None:
    assert load_holidays(tmp_path / "absent.yaml") == {}
    path = tmp_path / "h.yaml"
    path.write_text("years:\n  2028:\n    holidays: []\n", encoding="utf-8")
    assert load_holidays(path) == {}


def test_bad_holidays_yaml_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "h.yaml"
    path.write_text("years:\n  2027:\n    holidays: [2028-01-01]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="outside 2027"):
        load_holidays(path)
    with pytest.raises(ValueError, match="Saturdays or Sundays"):
        YearSchedule(holidays=(date(2027, 1, 1),), workdays=(date(2027, 1, 5),))


def test_unknown_years_never_crash(cal: WorkdayCalendar) -> None:
    assert cal.is_workday(date(2099, 6, 1))  # a Monday
    assert not cal.is_workday(date(1990, 6, 2))  # a Saturday
    due, warnings = cal.add_workdays(at(2099, 12, 30), 3)
    assert due == end_of(date(2100, 1, 4))
    assert warnings == [fallback_warning(2099), fallback_warning(2100)]


def test_input_validation(cal: WorkdayCalendar) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        cal.add_workdays(datetime(2026, 3, 2, 9), 1)  # noqa: DTZ001 - the naive input under test
    with pytest.raises(ValueError):
        cal.add_workdays(at(2026, 3, 2), -1)
    with pytest.raises(TypeError):
        cal.is_workday(at(2026, 3, 2))
    assert cal.add_workdays(at(2026, 3, 2, 9), 0) == (end_of(date(2026, 3, 2)), [])


starts = st.datetimes(
    min_value=datetime(2025, 1, 1),  # noqa: DTZ001 - hypothesis bounds are naive; zone added below
    max_value=datetime(2027, 12, 31),  # noqa: DTZ001
    timezones=st.just(SHANGHAI),
)


@settings(max_examples=150, deadline=None)
@given(start=starts, a=st.integers(0, 45), b=st.integers(0, 45))
def test_add_workdays_is_monotonic_in_n(start: datetime, a: int, b: int) -> None:
    cal = WorkdayCalendar()
    lo, hi = sorted((a, b))
    due_lo, _ = cal.add_workdays(start, lo)
    due_hi, _ = cal.add_workdays(start, hi)
    assert due_lo <= due_hi
    if lo < hi:
        assert due_lo < due_hi
        assert cal.is_workday(due_hi.date())
    assert due_hi.time() == time.max
    assert due_hi.date() > start.date() or hi == 0
