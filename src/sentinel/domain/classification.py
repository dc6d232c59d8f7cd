"""What the classify stage says about a post."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from sentinel.domain.codes import Grade, Sentiment, TopicCode


class Span(BaseModel):
    model_config = ConfigDict(frozen=True)

    start: int
    end: int
    text: str
    label: str = ""  # e.g. the scheme term, or "deaths"


class TopicScore(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: TopicCode
    score: float = Field(ge=0.0, le=1.0)
    schemes: tuple[str, ...] = ()  # names of matched monitoring schemes
    spans: tuple[Span, ...] = ()


class Classification(BaseModel):
    model_config = ConfigDict(frozen=True)

    post_id: str
    topics: tuple[TopicScore, ...]  # primary first; never empty (falls back to `other`)
    grade: Grade
    grade_evidence: tuple[Span, ...] = ()
    grade_rule: str = ""
    needs_confirmation: bool = False  # a serious+ grade supported only by a model
    non_event: str | None = None  # drill, history, rumour_refuted, hypothetical, statistics, fiction, outside_jurisdiction, advert
    sentiment: Sentiment = Sentiment.neutral
    sentiment_score: float = 0.0  # -1 … 1
    explanation_zh: str = ""
    classifier: str = ""  # name and version of what produced it

    @property
    def primary_topic(self) -> TopicCode:
        return self.topics[0].code

    def topic_codes(self) -> list[str]:
        return [t.code.value for t in self.topics]
