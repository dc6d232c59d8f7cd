"""Who did what, when: every staff action and automatic change is recorded."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class AuditEvent(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int | None = None
    at: datetime
    actor: str  # a staff name, or "system"
    action: str  # acknowledge, set_grade, record_release, merge, …
    incident_id: str | None = None
    details: dict[str, Any] = Field(default_factory=dict)
