"""Which of two topics the labels put first, counted on the training posts.

A post about a school bus crash is labelled transport and education; the corpus puts one of them first
by a rule of thumb (DATA_CARD, label rules) that the model barely learns: the linear head, which carries
most of the topic score, fits one sigmoid per topic and so knows which topics a post has, not which
comes first. Where the ensemble's two best topics are close, the ensemble may put them in the order the
training labels use for that pair, when they agree often enough (EnsembleWeights.order_*).

Saved beside the model as topic_order.json; a model folder without it ranks by score alone.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sentinel.domain.codes import TopicCode

ORDER_FILE = "topic_order.json"


@dataclass(frozen=True)
class TopicOrder:
    # (a, b) -> how many posts list a before b (at any distance: a first, b second or third)
    before: Counter[tuple[TopicCode, TopicCode]] = field(default_factory=Counter)
    source: str = ""

    @classmethod
    def from_labels(cls, labels: Iterable[Sequence[TopicCode]], source: str = "") -> TopicOrder:
        before: Counter[tuple[TopicCode, TopicCode]] = Counter()
        for topics in labels:
            for i, first in enumerate(topics):
                for later in topics[i + 1:]:
                    before[(first, later)] += 1
        return cls(before, source)

    def support(self, a: TopicCode, b: TopicCode) -> tuple[int, int]:
        """(posts listing a before b, posts listing both)."""
        ab = self.before.get((a, b), 0)
        return ab, ab + self.before.get((b, a), 0)

    def puts_first(self, a: TopicCode, b: TopicCode, share: float, min_posts: int) -> bool:
        """Whether at least `share` of the ≥ `min_posts` training posts labelled with both list a first."""
        ab, both = self.support(a, b)
        return both >= min_posts and ab >= share * both

    def save(self, folder: Path) -> None:
        pairs = sorted([a.value, b.value, n] for (a, b), n in self.before.items())
        lines = ",\n".join(f"  {json.dumps(pair)}" for pair in pairs)  # one pair a line: readable, diffable
        text = f'{{"source": {json.dumps(self.source, ensure_ascii=False)},\n "pairs": [\n{lines}\n]}}\n'
        (folder / ORDER_FILE).write_text(text, encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> TopicOrder:
        path = folder / ORDER_FILE
        if not path.is_file():
            return cls()
        data = json.loads(path.read_text(encoding="utf-8"))
        before = Counter({(TopicCode(a), TopicCode(b)): int(n) for a, b, n in data["pairs"]})
        return cls(before, str(data.get("source", "")))
