"""Response clocks and the notifications they produce."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class WindowKind(StrEnum):
    release = "release"  # 权威信息发布 (5 h for serious+)
    press_conference = "press_conference"  # 新闻发布会 (24 h for serious+)
    response = "response"  # 政务舆情回应 (48 h)
    continued_release = "continued_release"  # 持续发布
    policy_interpretation = "policy_interpretation"  # 政策解读 (3 working days)
    disclosure_reply = "disclosure_reply"  # 依申请公开答复 (20 working days, +20)


WINDOW_NAMES_ZH: dict[WindowKind, str] = {
    WindowKind.release: "权威信息发布",
    WindowKind.press_conference: "新闻发布会",
    WindowKind.response: "政务舆情回应",
    WindowKind.continued_release: "持续发布",
    WindowKind.policy_interpretation: "政策解读",
    WindowKind.disclosure_reply: "依申请公开答复",
}


class ClockStatus(StrEnum):
    running = "running"
    fulfilled = "fulfilled"
    breached = "breached"  # due passed; stays open until fulfilled (then fulfilled_late)
    cancelled = "cancelled"


class ResponseClock(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str  # f"{incident_id}:{window}"
    incident_id: str
    window: WindowKind
    started_at: datetime
    due_at: datetime
    status: ClockStatus = ClockStatus.running
    fulfilled_at: datetime | None = None
    policy_name: str = ""
    policy_snapshot: str = ""  # JSON of the policy in force when the clock started
    next_step: int = 0  # index of the next reminder/escalation step to fire
    next_fire_at: datetime | None = None
    warning: str = ""  # e.g. working-day calendar fallback used
    cancelled_at: datetime | None = None
    cancel_reason: str | None = None  # incident_closed | grade_or_need_changed | merged
    extended_from: datetime | None = None  # the deadline before its one allowed extension

    @property
    def late(self) -> bool:
        return self.fulfilled_at is not None and self.fulfilled_at > self.due_at


class EventKind(StrEnum):
    opened = "opened"
    reminder = "reminder"
    escalation = "escalation"
    breach = "breach"
    fulfilled = "fulfilled"
    closed = "closed"
    cancelled = "cancelled"
    continued_release = "continued_release"
    watchdog = "watchdog"


class Recipient(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    role: str = ""  # duty_officer, office_head, leader_in_charge
    unit: str | None = None
    channels: tuple[str, ...] = ()  # channel names configured in alerts/channels.yaml
    # From the rota: where SMS and email reach this person when channels.yaml does not say.
    phone: str | None = None
    email: str | None = None


class Notification(BaseModel):
    """One message to people, with a stable dedup key (incident, window, step)."""

    model_config = ConfigDict(frozen=True)

    dedup_key: str
    kind: EventKind
    incident_id: str
    incident_title: str
    grade_zh: str = ""
    window: str | None = None
    window_zh: str | None = None
    due: datetime | None = None
    at: datetime  # when it was due to fire (virtual or real)
    fired_at: datetime | None = None  # when it actually fired; later than `at` when late
    late: bool = False  # fired after its time (downtime, late ingestion)
    recipients: tuple[Recipient, ...] = ()
    owner_unit: str | None = None
    title_zh: str
    body_zh: str
    link: str | None = None
