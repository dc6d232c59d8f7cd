"""Frozen models parsed from the JSON bodies the store keeps, remembered for the rows read again.

Rows are read back far more often than they change, and mostly soon after they were written: the
incidents stage reads each classification the classify stage has just stored, every step an
incident's clocks fire reads the incident, the outbox and then `simulate` read each notification.
Parsing a body costs more than the query that fetched it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Generic, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)


class ParsedBodies(Generic[M]):
    """The last `size` bodies of one kind stored or read, and the model each stands for.

    The writer adds the model it has just stored (it holds it already, and a model equals what its
    JSON parses back to); a reader gets the model for a body, parsed only when this process has
    neither written nor read that body lately. For frozen models only (tuples and frozen models all
    the way down): every reader shares one object. Shared by the pipeline, outbox and API threads."""

    def __init__(self, model: type[M], size: int) -> None:
        self._model = model
        self._size = size
        self._items: OrderedDict[str, M] = OrderedDict()  # oldest first: the first to go when full
        self._lock = threading.Lock()

    def remember(self, body: str, value: M) -> None:
        with self._lock:
            self._items[body] = value
            if len(self._items) > self._size:
                self._items.popitem(last=False)

    def parse(self, body: str) -> M:
        with self._lock:
            known = self._items.get(body)
        if known is None:
            known = self._model.model_validate_json(body)
            self.remember(body, known)
        return known
