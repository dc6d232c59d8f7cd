"""The post input contract (ARCHITECTURE §5) and the normalised post the pipeline stores."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

MAX_TEXT_CHARS = 100_000  # originals above this are cut (and flagged); analysis uses head + tail


class PostMetrics(BaseModel):
    model_config = ConfigDict(frozen=True, extra="allow")

    reposts: int = Field(default=0, ge=0)
    comments: int = Field(default=0, ge=0)
    likes: int = Field(default=0, ge=0)
    views: int = Field(default=0, ge=0)


class PostIn(BaseModel):
    """One post as integrators send it. Unknown fields are kept, not rejected."""

    model_config = ConfigDict(
        frozen=True,
        extra="allow",
        json_schema_extra={
            "examples": [
                {
                    "source": "weibo",
                    "url": "https://weibo.com/1234567/NxAbCd",
                    "author": "清江身边事",
                    "text": "#清江新港区爆炸# 化工园区传来巨响，现场浓烟滚滚",
                    "published_at": "2026-11-20T07:42:13+08:00",
                    "region": "新港区",
                    "metrics": {"reposts": 120, "comments": 45, "likes": 300},
                }
            ]
        },
    )

    id: str | None = Field(default=None, max_length=256, description="Stable id; else derived from url, else from source+text.")
    # Stripped before the length check: a source of blanks is no source.
    source: Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=1, max_length=64)] = Field(
        description="weibo, wechat, news, forum, douyin, hotline, gov_site, …")
    url: str | None = Field(default=None, max_length=4096)
    author: str | None = Field(default=None, max_length=512)
    title: str | None = Field(default=None, max_length=2048)
    text: str = Field(description="Required, non-empty.")
    published_at: datetime | None = Field(
        default=None, description="ISO 8601; a naive time means Asia/Shanghai; missing → ingestion time, flagged."
    )
    region: str | None = Field(default=None, max_length=256)
    metrics: PostMetrics | None = None

    @field_validator("id", mode="before")
    @classmethod
    def _numeric_id_as_text(cls, value: Any) -> Any:
        """A Weibo mid arrives as a number (4987654321): the same id as its text."""
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        return value

    @field_validator("published_at", mode="before")
    @classmethod
    def _blank_time_is_missing(cls, value: Any) -> Any:
        """An empty string is how many exporters write "no time": missing (ingestion time, flagged)."""
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("text")
    @classmethod
    def _text_not_blank(cls, value: str) -> str:
        if not value or not value.strip():
            raise ValueError("text is empty")
        return value

    def extra_fields(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


class PostFlag(StrEnum):
    naive_time = "naive_time"  # published_at had no offset; taken as Asia/Shanghai
    missing_time = "missing_time"  # no published_at; ingestion time used
    future_time = "future_time"  # more than 10 minutes ahead of ingestion; clocks use ingestion time
    truncated = "truncated"  # text over MAX_TEXT_CHARS; original cut, analysis on head + tail
    html = "html"  # markup was stripped
    traditional = "traditional"  # Traditional characters folded to Simplified for analysis
    control_chars = "control_chars"  # NUL or other control characters removed
    invalid_unicode = "invalid_unicode"  # lone UTF-16 surrogates (unstorable) replaced with U+FFFD
    duplicate = "duplicate"  # same id or same normalised text seen within the window
    id_conflict = "id_conflict"  # an id seen before arrived with different text


class Post(BaseModel):
    """A normalised post as stored: the original kept, plus the text used for analysis."""

    model_config = ConfigDict(frozen=True)

    id: str
    seq: int | None = None  # store-assigned arrival order
    source: str
    url: str | None = None
    author: str | None = None
    title: str | None = None
    text: str  # original (bounded), control characters removed
    text_norm: str  # for analysis: plain text, Simplified, half-width, bounded head + tail
    published_at: datetime
    ingested_at: datetime
    effective_at: datetime  # the time clocks and grouping use (published_at unless flagged untrustworthy)
    region: str | None = None
    metrics: PostMetrics = Field(default_factory=PostMetrics)
    flags: tuple[PostFlag, ...] = ()
    duplicate_of: str | None = None
    content_hash: str = ""
    extra: dict[str, Any] = Field(default_factory=dict)

    def has(self, flag: PostFlag) -> bool:
        return flag in self.flags


class Reject(BaseModel):
    """An input the pipeline could not accept, kept with its reason."""

    model_config = ConfigDict(frozen=True)

    id: int | None = None
    at: datetime
    source: str  # where it came from: a file name and line, "http", a feed URL
    reason: str
    raw: str  # bounded copy of the payload
    post_id: str | None = None
