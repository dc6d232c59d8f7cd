"""The trained classifier: a small character-level BERT with topic, grade and sentiment heads.

Importing this package does not import torch; `predict` and `train` do.
"""

from sentinel.classify.model.labels import GRADES, SENTIMENTS, TOPICS, LabelMap

__all__ = ["GRADES", "SENTIMENTS", "TOPICS", "LabelMap"]
