"""Per-text probabilities from one scorer (the BERT model or the linear head); torch-free."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float32]


@dataclass(frozen=True)
class Scores:
    """Per text: topic sigmoids, grade softmax, sentiment softmax (label order from the LabelMap)."""

    topics: Array  # (n, topics)
    grades: Array  # (n, grades)
    sentiments: Array  # (n, sentiments)

    def __len__(self) -> int:
        return int(self.topics.shape[0])

    def mix(self, other: Scores | None, topics: float, grades: float, sentiments: float) -> Scores:
        """(1 - w) * self + w * other, per output; self unchanged without `other` or at w = 0."""
        if other is None or (topics == 0 and grades == 0 and sentiments == 0):
            return self
        return Scores(
            ((1 - topics) * self.topics + topics * other.topics).astype(np.float32),
            ((1 - grades) * self.grades + grades * other.grades).astype(np.float32),
            ((1 - sentiments) * self.sentiments + sentiments * other.sentiments).astype(np.float32),
        )
