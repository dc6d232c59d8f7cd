"""Response shapes of the REST API (what integrators and the console read)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints, field_validator, model_validator

from sentinel.domain.alerting import Notification, ResponseClock
from sentinel.domain.audit import AuditEvent
from sentinel.domain.classification import Classification
from sentinel.domain.codes import Grade, Sentiment, TopicCode
from sentinel.domain.incident import Incident
from sentinel.domain.post import Post, Reject
from sentinel.domain.timeutil import EARLIEST_PLAUSIBLE, ensure_aware
from sentinel.incidents.actions import Action

# Who acts, as recorded in the audit log: blanks are no one.
Actor = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class IngestItem(BaseModel):
    index: int
    id: str | None = None
    status: str  # stored | duplicate_id | duplicate_text | id_conflict | rejected
    duplicate_of: str | None = None
    error: str | None = None


class IngestResponse(BaseModel):
    stored: int
    duplicates: int
    rejected: int
    items: list[IngestItem]


class PostView(BaseModel):
    post: Post
    classification: Classification | None = None
    incident_id: str | None = None
    duplicate_count: int = 0


class PostPage(BaseModel):
    total: int
    limit: int
    offset: int
    search: str = ""
    items: list[PostView]


class RejectPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[Reject]


class IncidentPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[Incident]


class ClockView(BaseModel):
    clock: ResponseClock
    remaining_seconds: float
    remaining_zh: str


class NotificationView(BaseModel):
    notification: Notification
    delivered_at: datetime | None = None
    last_error: str | None = None


class IncidentDetail(BaseModel):
    incident: Incident
    clocks: list[ClockView]
    posts: list[PostView]
    notifications: list[NotificationView]
    audit: list[AuditEvent]


# The parameter each action cannot do without (the others are optional).
REQUIRED_PARAM: dict[Action, str] = {
    Action.set_grade: "grade", Action.set_occurrence_time: "at", Action.assign_unit: "unit", Action.merge: "other",
    Action.split_incident: "post_ids", Action.extend_deadline: "window",
}


class ActionRequest(BaseModel):
    action: Action
    actor: Actor = Field(description="Who acts; recorded in the audit log.")
    grade: Grade | None = None
    at: datetime | None = Field(default=None, description="ISO 8601; a naive time means Asia/Shanghai.")
    url: str | None = Field(default=None, max_length=2048)
    channel: str | None = Field(default=None, max_length=100)
    unit: str | None = None
    other: str | None = None
    post_ids: list[str] | None = None
    window: str | None = Field(default=None, max_length=100, description=(
        "For extend_deadline; for record_release / record_response, the window meant when it is a "
        "document window (policy_interpretation, disclosure_reply)."))
    reason: str | None = Field(default=None, max_length=2000)
    note: str | None = Field(default=None, max_length=2000)

    @field_validator("at")
    @classmethod
    def _at_in_shanghai(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        value = ensure_aware(value)  # as the post contract and the CLI read a naive time
        if value < EARLIEST_PLAUSIBLE:
            raise ValueError(f"时间早于 {EARLIEST_PLAUSIBLE:%Y-%m-%d} / time before {EARLIEST_PLAUSIBLE:%Y-%m-%d}")
        return value

    @model_validator(mode="after")
    def _has_required_param(self) -> ActionRequest:
        name = REQUIRED_PARAM.get(self.action)
        if name and not getattr(self, name):
            raise ValueError(f"{self.action.value} 需要参数 {name} / {self.action.value} needs `{name}`")
        return self


class OpenIncidentRequest(BaseModel):
    actor: Actor = Field(description="Who opens it; recorded in the audit log.")


class CorrectionRequest(BaseModel):
    topics: list[TopicCode] = Field(min_length=1, max_length=3, description="Primary first.")
    grade: Grade
    sentiment: Sentiment | None = None
    actor: Actor
    note: str | None = Field(default=None, max_length=2000)


class Health(BaseModel):
    status: str
    details: dict[str, Any] = {}
