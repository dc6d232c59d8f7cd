"""Operator files (policies, rota, units, holidays): a mistake is refused at load, naming the file
and line, instead of passing validation and then stopping every incident at its first clock."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from sentinel.alerts.policies import load_policies
from sentinel.alerts.rota import load_oncall, load_rota
from sentinel.alerts.workdays import WorkdayCalendar
from sentinel.domain.timeutil import SHANGHAI
from sentinel.incidents.ownership import Ownership
from sentinel.yamlconf import ConfigError


def edited(repo: Path, tmp_path: Path, name: str, old: str, new: str) -> Path:
    text = (repo / "alerts" / name).read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("starts_on: fulfilled:release", "starts_on: fulfilled:relase", "fulfilled:<window kind>"),
    ("starts_on: action:disclosure_request", "starts_on: action:disclosure_requst", "action:<"),
    ("hours: 5", "hours: .inf", "hours"),
    ("hours: 5", "hours: 100000", "hours"),
    ("repeat_every: 1h", "repeat_every: 400d", "longer than 366 days"),
])
def test_policy_values_that_would_fail_at_the_first_clock_are_refused(
    repo: Path, tmp_path: Path, old: str, new: str, expected: str
) -> None:
    path = edited(repo, tmp_path, "policies.yaml", old, new)
    with pytest.raises(ConfigError, match=expected) as caught:
        load_policies(path)
    assert str(path) in str(caught.value)


def test_a_window_started_by_a_window_the_file_lacks_is_refused(repo: Path, tmp_path: Path) -> None:
    path = edited(repo, tmp_path, "policies.yaml", "starts_on: fulfilled:release", "starts_on: fulfilled:response")
    text = path.read_text(encoding="utf-8")
    start = text.index("  - kind: response")
    end = text.index("  - kind:", start + 1)
    path.write_text(text[:start] + text[end:], encoding="utf-8")  # no response window any more
    with pytest.raises(ConfigError, match="names no window of this file"):
        load_policies(path)


def test_a_check_across_entries_names_the_line_of_the_mistake(repo: Path, tmp_path: Path) -> None:
    path = edited(repo, tmp_path, "policies.yaml", "to: [office_head]", "to: [office_haed]")
    line = next(i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "office_haed" in text)
    with pytest.raises(ConfigError, match=f"policies.yaml:{line}: .*'office_haed'"):
        load_policies(path)


def rota_file(tmp_path: Path, shift: str, extra: str = "") -> Path:
    path = tmp_path / "rota.yaml"
    path.write_text(f"people:\n  lina: {{name: 李娜}}\nshifts:\n  - {shift}\n{extra}", encoding="utf-8")
    return path


@pytest.mark.parametrize(("times", "expected"), [
    ("from: 17:30, to: '08:30'", 'in quotes as "HH:MM"'),  # YAML 1.1 reads 17:30 as the number 1050
    ("from: '08:30', to: 20:00", 'in quotes as "HH:MM"'),
    ("from: '08:30', to: '20:00:00'", "must be \"HH:MM\""),
    ("from: '08:30', to: '17:30+08:00'", "must be \"HH:MM\""),
    ("from: '24:00', to: '08:30'", "must be \"HH:MM\""),
])
def test_shift_times_are_strict_hh_mm(tmp_path: Path, times: str, expected: str) -> None:
    path = rota_file(tmp_path, f"{{unit: qingjiang, role: duty_officer, {times}, person: lina}}")
    with pytest.raises(ConfigError, match=expected) as caught:
        load_rota(path)
    assert f"{path}:4:" in str(caught.value)


def test_a_shift_to_midnight_is_accepted(tmp_path: Path) -> None:
    rota = load_rota(rota_file(tmp_path, "{unit: qingjiang, role: duty_officer, from: '17:30', to: '24:00', person: lina}"))
    assert rota.shifts[0].start_time().hour == 17 and rota.shifts[0].end_time().total_seconds() == 86400


@pytest.mark.parametrize(("shift", "extra", "expected"), [
    ("{unit: xingan, role: duty_officer, from: '08:00', to: '20:00', person: lina}", "", "unknown unit 'xingan'"),
    ("{unit: xingang, role: duty_oficer, from: '08:00', to: '20:00', person: lina}", "", "unknown role 'duty_oficer'"),
    ("{unit: xingang, role: duty_officer, from: '08:00', to: '20:00', person: lina}",
     "escalation:\n  xingan: {leader_in_charge: lina}\n", "escalation.xingan: unknown unit"),
])
def test_rota_entries_that_would_page_nobody_are_refused(
    repo: Path, tmp_path: Path, shift: str, extra: str, expected: str
) -> None:
    ownership = Ownership.load(repo / "alerts" / "units.yaml")
    roles = load_policies(repo / "alerts" / "policies.yaml").roles
    with pytest.raises(ConfigError, match=expected):
        load_oncall(rota_file(tmp_path, shift, extra), ownership, WorkdayCalendar(), roles)


def test_a_units_contact_answers_when_no_shift_covers_the_role(repo: Path, tmp_path: Path) -> None:
    units = edited(repo, tmp_path, "units.yaml", "    regions: [新港区, 新港, 化工园区]\n",
                   "    regions: [新港区, 新港, 化工园区]\n    contacts: {leader_in_charge: lina}\n")
    rota = rota_file(tmp_path, "{unit: xingang, role: duty_officer, from: '08:00', to: '20:00', person: lina}")
    oncall = load_oncall(rota, Ownership.load(units), WorkdayCalendar())
    at = datetime(2026, 11, 24, 23, tzinfo=SHANGHAI)
    assert [p.name for p in oncall.holders("xingang", "leader_in_charge", at)] == ["李娜"]
    assert oncall.holders("xingang", "duty_officer", at) == []  # outside the shift, and no contact for it
    broken = edited(repo, tmp_path, "units.yaml", "    regions: [新港区, 新港, 化工园区]\n",
                    "    regions: [新港区, 新港, 化工园区]\n    contacts: {leader_in_charge: ghost}\n")
    with pytest.raises(ConfigError, match="'ghost' is no person in this rota"):
        load_oncall(rota, Ownership.load(broken), WorkdayCalendar())


@pytest.mark.parametrize(("text", "expected"), [
    ("years:\n  2027:\n    holidays: [2027-02-30]\n", "invalid value: day is out of range"),
    ("years:\n  2027:\n    holidays: [2027-01-01]\n    workday: [2027-02-06]\n", "holidays.yaml:4: years.2027.workday"),
])
def test_a_bad_holidays_file_is_a_config_error(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "holidays.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=expected):
        WorkdayCalendar.from_file(path)
