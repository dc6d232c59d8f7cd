"""Response shapes of the REST API (what integrators and the console read)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from sentinel.domain.alerting import Notification, ResponseClock
from sentinel.domain.audit import AuditEvent
from sentinel.domain.classification import Classification
from sentinel.domain.codes import Grade, Sentiment, TopicCode
from sentinel.domain.incident import Incident
from sentinel.domain.post import Post, Reject
from sentinel.incidents.actions import Action


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


class ActionRequest(BaseModel):
    action: Action
    actor: str = Field(min_length=1, max_length=100, description="Who acts; recorded in the audit log.")
    grade: Grade | None = None
    at: datetime | None = None
    url: str | None = Field(default=None, max_length=2048)
    channel: str | None = Field(default=None, max_length=100)
    unit: str | None = None
    other: str | None = None
    post_ids: list[str] | None = None
    note: str | None = Field(default=None, max_length=2000)


class CorrectionRequest(BaseModel):
    topics: list[TopicCode] = Field(min_length=1, max_length=3, description="Primary first.")
    grade: Grade
    sentiment: Sentiment | None = None
    actor: str = Field(min_length=1, max_length=100)
    note: str | None = Field(default=None, max_length=2000)


class Health(BaseModel):
    status: str
    details: dict[str, Any] = {}
