"""The Store protocol the stages, the API and the CLI use; implementations live beside it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Generic, Protocol, TypeVar

from sentinel.domain.classification import Classification
from sentinel.domain.post import Post, Reject


class AddStatus(StrEnum):
    stored = "stored"
    duplicate_id = "duplicate_id"  # same id and same text: counted on the original, nothing new stored
    duplicate_text = "duplicate_text"  # new id, same normalised text within the window: stored, linked
    id_conflict = "id_conflict"  # same id, different text: stored under a derived id, linked


@dataclass(frozen=True)
class AddResult:
    post_id: str
    status: AddStatus
    seq: int | None
    duplicate_of: str | None = None


@dataclass(frozen=True)
class PostQuery:
    text: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    topic: str | None = None
    grade: str | None = None
    source: str | None = None
    region: str | None = None
    incident_id: str | None = None
    limit: int = 50
    offset: int = 0


T = TypeVar("T")


@dataclass
class Page(Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int
    note: str = ""  # e.g. which search path answered


@dataclass(frozen=True)
class StoredPost:
    post: Post
    classification: Classification | None = None
    incident_id: str | None = None
    dup_count: int = 0
    extra: dict[str, object] = field(default_factory=dict)


class PostStore(Protocol):
    def add_posts(self, posts: Sequence[Post], duplicate_window_hours: float) -> list[AddResult]: ...
    def add_rejects(self, rejects: Sequence[Reject]) -> None: ...
    def get_post(self, post_id: str) -> StoredPost | None: ...
    def search_posts(self, query: PostQuery) -> Page[StoredPost]: ...
    def list_rejects(self, limit: int = 50, offset: int = 0) -> Page[Reject]: ...
    def count_posts(self) -> int: ...
