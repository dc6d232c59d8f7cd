"""Incidents: posts grouped into one real-world event, with heat and ownership."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from sentinel.domain.codes import Grade, TopicCode


class IncidentStatus(StrEnum):
    new = "new"
    acknowledged = "acknowledged"
    responding = "responding"
    released = "released"
    press_conference_held = "press_conference_held"
    closed = "closed"


STATUS_NAMES_ZH: dict[IncidentStatus, str] = {
    IncidentStatus.new: "新发现",
    IncidentStatus.acknowledged: "已确认",
    IncidentStatus.responding: "处置中",
    IncidentStatus.released: "已发布权威信息",
    IncidentStatus.press_conference_held: "已召开发布会",
    IncidentStatus.closed: "已关闭",
}


class Heat(BaseModel):
    model_config = ConfigDict(frozen=True)

    posts: int = 0
    authors: int = 0
    reposts: int = 0
    comments: int = 0
    likes: int = 0
    posts_last_hour: int = 0

    @property
    def score(self) -> float:
        """One number for sorting: volume, spread and engagement on a log-ish scale."""
        engagement = self.reposts + self.comments * 0.5 + self.likes * 0.05
        return float(round(self.posts * 2 + self.authors * 3 + engagement**0.5 + self.posts_last_hour * 5, 1))


class Incident(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    title: str
    topics: tuple[TopicCode, ...]
    grade: Grade
    grade_source: str = "auto"  # auto | staff
    grade_evidence: str = ""
    region: str | None = None
    owner_unit: str | None = None
    lead_departments: tuple[str, ...] = ()
    first_seen: datetime
    last_seen: datetime
    occurred_at: datetime | None = None  # entered by staff when earlier than first_seen
    status: IncidentStatus = IncidentStatus.new
    heat: Heat = Field(default_factory=Heat)
    sentiment_negative: float = 0.0  # share of negative posts
    rumour: bool = False
    needs_response: bool = False  # staff-marked, or heat over threshold
    representative_post_id: str | None = None
    merged_into: str | None = None  # set when staff merged it into another incident (it is then closed)
    version: int = 0

    @property
    def clock_start(self) -> datetime:
        """The law counts from the event, not from our ingestion."""
        if self.occurred_at is not None and self.occurred_at < self.first_seen:
            return self.occurred_at
        return self.first_seen
