"""The evaluation metrics on a handful of posts whose every figure can be counted by hand."""

from __future__ import annotations

import pytest

from sentinel.classify.data import LabelledPost
from sentinel.classify.evaluate import Predicted, metrics
from sentinel.domain.codes import Grade, Sentiment, TopicCode

WS, ED, HE = TopicCode.work_safety, TopicCode.education, TopicCode.health


def _gold(topics: tuple[TopicCode, ...], grade: Grade) -> LabelledPost:
    return LabelledPost(event="e", text="文本", topics=topics, grade=grade, sentiment=Sentiment.negative)


def test_top1_counts_the_primary_topic_and_top1_any_any_labelled_topic() -> None:
    gold = [_gold((WS, ED), Grade.serious), _gold((WS, ED), Grade.none), _gold((HE,), Grade.general),
            _gold((ED,), Grade.particularly_serious)]
    pred = [Predicted((WS,), Grade.serious, Sentiment.negative),  # primary right
            Predicted((ED, WS), Grade.serious, Sentiment.neutral),  # secondary first; a false alarm
            Predicted((WS,), Grade.general, Sentiment.negative),  # wrong topic
            Predicted((ED,), Grade.general, Sentiment.negative)]  # right topic; a missed serious+
    report = metrics(gold, pred)
    assert report["topic_top1"] == 0.5
    assert report["topic_top1_any"] == 0.75
    assert report["serious_recall"] == 0.5 and report["serious_support"] == 2
    assert report["false_alarm_rate"] == 0.5 and report["false_alarm_support"] == 2
    assert report["grade_accuracy"] == 0.5
    assert report["sentiment_accuracy"] == 0.75
    assert report["per_topic"]["health"]["recall"] == 0.0


def test_mismatched_lengths_are_refused() -> None:
    with pytest.raises(ValueError, match="1 labelled posts but 0 predictions"):
        metrics([_gold((WS,), Grade.none)], [])


def test_the_metrics_table_shows_a_dash_for_a_metric_an_older_report_lacks() -> None:
    from rich.console import Console

    from sentinel.classify.train_cli import metrics_table

    old = {"topic_top1": 0.8, "topic_macro_f1": 0.8, "grade_accuracy": 0.9, "serious_recall": 0.9,
           "false_alarm_rate": 0.01, "sentiment_accuracy": 0.85}  # ensemble.json of 2026-11-23: no top1_any
    console = Console(record=True, width=200)
    console.print(metrics_table("dev", {"ensemble": old}))
    row = next(line for line in console.export_text().splitlines() if "ensemble" in line)
    assert "0.800" in row and "-" in row


def test_labelled_posts_reach_the_classifier_as_the_pipeline_would_see_them() -> None:
    from sentinel.classify.evaluate import as_posts
    from sentinel.domain.post import PostFlag

    def post(**fields: str | None) -> LabelledPost:
        return LabelledPost(event="e", text="11日上午，市第七中学开展防震减灾应急疏散演练。", topics=(ED,), grade=Grade.none,
                            **fields)

    titled, dated, unreadable, ancient, numeric, odd_title, markup = as_posts([
        post(title="3分12秒！2300余名师生安全疏散"), post(published_at="2024-08-02T18:00:00+08:00"),
        post(published_at="not a time"), post(published_at="1900-01-01T00:00:00+08:00"),
        LabelledPost(event="e", text="11日上午，市第七中学开展防震减灾应急疏散演练。", topics=(ED,), grade=Grade.none,
                     published_at=1_722_592_800),  # a set may give epoch seconds: read, or dropped, never fatal
        LabelledPost(event="e", text="11日上午，市第七中学开展防震减灾应急疏散演练。", topics=(ED,), grade=Grade.none,
                     title=["not", "a", "title"]),
        LabelledPost(event="e", text="<p></p>", topics=(ED,), grade=Grade.none),
    ])
    assert "演练" in numeric.text_norm and "演练" in odd_title.text_norm  # the text is kept whatever else fails
    assert titled.text_norm == "3分12秒！2300余名师生安全疏散\n11日上午，市第七中学开展防震减灾应急疏散演练。"
    assert dated.published_at.year == 2024 and not dated.flags
    # a time the normaliser refuses is dropped, not the post (nor its text)
    for refused in (unreadable, ancient):
        assert refused.has(PostFlag.missing_time) and "演练" in refused.text_norm
    assert markup.text_norm == "(空)"
