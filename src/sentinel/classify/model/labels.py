"""Label order of the model's heads, saved beside the weights as label_map.json.

The order is part of a trained model: a model is read with the map it was saved with, never with
the codes of the running version (a topic added later must not shift the heads of an old model).
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from sentinel.domain.codes import Grade, Sentiment, TopicCode

TOPICS: tuple[TopicCode, ...] = tuple(TopicCode)
# ordered by severity so that "serious or worse" is a suffix of the grade head
GRADES: tuple[Grade, ...] = (
    Grade.none,
    Grade.general,
    Grade.relatively_serious,
    Grade.serious,
    Grade.particularly_serious,
)
SENTIMENTS: tuple[Sentiment, ...] = (Sentiment.negative, Sentiment.neutral, Sentiment.positive)
LABEL_MAP_FILE = "label_map.json"


class LabelMap(BaseModel):
    model_config = ConfigDict(frozen=True)

    topics: tuple[TopicCode, ...] = TOPICS
    grades: tuple[Grade, ...] = GRADES
    sentiments: tuple[Sentiment, ...] = SENTIMENTS

    def save(self, folder: Path) -> None:
        (folder / LABEL_MAP_FILE).write_text(self.model_dump_json(indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> LabelMap:
        return cls.model_validate(json.loads((folder / LABEL_MAP_FILE).read_text(encoding="utf-8")))
