"""The classifier the pipeline stores: monitoring schemes for topics, extracted figures for the
grade (never below what the numbers say), sentiment, and an explanation a duty officer reads."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from sentinel.classify.furniture import blank_furniture
from sentinel.classify.grading import GradeResult, grade_text, load_grading_config
from sentinel.classify.keywords import KeywordClassifier
from sentinel.classify.sentiment import score_sentiment
from sentinel.classify.taxonomy import Taxonomy
from sentinel.domain.classification import Classification, Span, TopicScore
from sentinel.domain.codes import TOPIC_NAMES_ZH, TopicCode
from sentinel.domain.post import Post, PostFlag

MAX_TOPICS = 3
SECONDARY_SHARE = 0.5  # a secondary topic needs at least half the primary's score


def post_time(post: Post) -> datetime | None:
    """When the post was published, where it said so believably, for the history check's "a past year":
    a 2024 notice of a fire on 2024年8月2日 is news when it was published in 2024. None (the wall clock)
    when the time is missing or lies in the future."""
    if post.has(PostFlag.missing_time) or post.has(PostFlag.future_time):
        return None
    return post.published_at


class RuleClassifier:
    """Schemes + grading + lexicon sentiment; no model needed."""

    name = "rules-v1"

    def __init__(self, taxonomy: Taxonomy, grading_path: Path | None = None) -> None:
        self.taxonomy = taxonomy
        self.keywords = KeywordClassifier(taxonomy)
        self.grading = load_grading_config(grading_path)  # once: grade_text would look it up per post

    def classify_batch(self, posts: Sequence[Post]) -> list[Classification]:
        return [self.classify_text(p.id, blank_furniture(p.text_norm), now=post_time(p)) for p in posts]

    def classify_text(self, post_id: str, text: str, now: datetime | None = None) -> Classification:
        scored = self.keywords.classify(text)
        topics: list[TopicScore] = []
        for item in scored[:MAX_TOPICS]:
            if topics and item.score < topics[0].score * SECONDARY_SHARE:
                break
            spans = tuple(
                Span(start=s[1], end=s[2], text=s[0], label=hit.scheme)
                for hit in item.hits
                for s in hit.spans
            )[:20]
            topics.append(
                TopicScore(
                    code=item.topic,
                    score=round(min(1.0, item.score), 4),
                    schemes=tuple(h.scheme for h in item.hits),
                    spans=spans,
                )
            )
        if not topics:
            topics.append(TopicScore(code=TopicCode.other, score=0.0))
        graded = grade_text(text, [t.code for t in topics], config=self.grading, now=now)
        sentiment, sentiment_score, cues = score_sentiment(text)
        return Classification(
            post_id=post_id,
            topics=tuple(topics),
            grade=graded.grade,
            grade_evidence=_evidence(graded),
            grade_rule=graded.rule or "",
            non_event=graded.non_event.kind if graded.non_event else None,
            sentiment=sentiment,
            sentiment_score=round(sentiment_score, 3),
            explanation_zh=_explain(topics, graded, cues),
            classifier=self.name,
        )


def _evidence(graded: GradeResult) -> tuple[Span, ...]:
    return tuple(Span(start=e.start, end=e.end, text=e.text, label=str(e.kind)) for e in graded.evidence)[:20]


def _explain(topics: list[TopicScore], graded: GradeResult, cues: list[str]) -> str:
    parts = []
    hits = [f"{TOPIC_NAMES_ZH[t.code]}/{'、'.join(t.schemes[:3])}" for t in topics if t.schemes]
    parts.append("命中方案: " + ("；".join(hits) if hits else "无"))
    if graded.explanation_zh:
        parts.append(graded.explanation_zh)
    if cues:
        parts.append("情感词: " + "、".join(dict.fromkeys(cues[:6])))
    return "；".join(parts)

