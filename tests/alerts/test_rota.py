"""Who is on duty: workday and holiday shifts (with 调休 Saturdays), overnight shifts, handover,
escalation contacts and the parent-unit fallback."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from sentinel.alerts.rota import OnCall, load_rota
from sentinel.alerts.workdays import WorkdayCalendar
from sentinel.domain.timeutil import SHANGHAI
from sentinel.incidents.ownership import Ownership
from sentinel.yamlconf import ConfigError


@pytest.fixture
def oncall(repo: Path) -> OnCall:
    return OnCall(load_rota(repo / "alerts" / "rota.example.yaml"), Ownership.load(repo / "alerts" / "units.yaml"),
                  WorkdayCalendar())


def names(oncall: OnCall, unit: str, role: str, *when: int) -> list[str]:
    return [p.name for p in oncall.holders(unit, role, datetime(*when, tzinfo=SHANGHAI))]  # type: ignore[misc]


def test_workday_day_and_night_shifts(oncall: OnCall) -> None:
    assert names(oncall, "qingjiang", "duty_officer", 2026, 11, 24, 10, 0) == ["张伟"]  # Tuesday
    assert names(oncall, "qingjiang", "duty_officer", 2026, 11, 24, 23, 0) == ["李娜"]
    assert names(oncall, "qingjiang", "duty_officer", 2026, 11, 25, 3, 0) == ["李娜"]  # overnight, next morning


def test_holidays_and_tiaoxiu_saturday(oncall: OnCall) -> None:
    assert names(oncall, "qingjiang", "duty_officer", 2026, 10, 3, 10, 0) == ["王强"]  # 国庆, a holiday
    assert names(oncall, "qingjiang", "duty_officer", 2026, 10, 10, 10, 0) == ["张伟"]  # 调休: Saturday is a workday


def test_handover_notifies_both_officers(oncall: OnCall) -> None:
    assert names(oncall, "qingjiang", "duty_officer", 2026, 11, 24, 17, 40) == ["张伟", "李娜"]
    assert names(oncall, "qingjiang", "duty_officer", 2026, 11, 24, 17, 50) == ["李娜"]


def test_parent_unit_fallback_and_escalation_contacts(oncall: OnCall) -> None:
    assert names(oncall, "baisha", "duty_officer", 2026, 11, 24, 10, 0) == ["张伟"]  # 白沙县 has no rota: the city's
    assert names(oncall, "xingang", "duty_officer", 2026, 11, 24, 10, 0) == ["刘洋"]
    assert names(oncall, "xingang", "leader_in_charge", 2026, 11, 24, 10, 0) == ["赵磊"]  # from the city
    recipients = oncall.recipients(("duty_officer", "office_head"), "xingang", datetime(2026, 11, 24, 10, tzinfo=SHANGHAI),
                                   {"duty_officer": "值班员"})
    assert [(r.name, r.role) for r in recipients] == [("刘洋", "duty_officer"), ("陈静", "office_head")]
    assert recipients[0].channels == ("duty_dingtalk", "duty_sms")
    # The rota's contacts travel with the recipient: SMS and email reach them without channels.yaml repeating them.
    assert (recipients[0].phone, recipients[1].phone, recipients[1].email) == (
        "13800000004", "13800000005", "chenjing@qingjiang.gov.cn")
    nobody = oncall.recipients(("duty_officer",), None, datetime(2026, 11, 24, 10, tzinfo=SHANGHAI), {"duty_officer": "值班员"})
    assert nobody[0].name == "值班员"


def test_unknown_person_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "rota.yaml"
    path.write_text("people: {}\nshifts:\n  - {unit: x, role: duty_officer, from: '08:00', to: '18:00', person: ghost}\n",
                    encoding="utf-8")
    with pytest.raises(ConfigError, match="ghost"):
        load_rota(path)
