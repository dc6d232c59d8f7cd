"""Text normalisation for analysis; the original is always kept beside it."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser

import zhconv_rs

# Full-width ASCII digits, letters and a few symbols → half-width; Chinese punctuation is kept.
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF10, 0xFF1A)}
_FULLWIDTH.update({cp: cp - 0xFEE0 for cp in range(0xFF21, 0xFF3B)})
_FULLWIDTH.update({cp: cp - 0xFEE0 for cp in range(0xFF41, 0xFF5B)})
_FULLWIDTH.update({ord("％"): ord("%"), ord("．"): ord("."), ord("＋"): ord("+"), ord("－"): ord("-"), 0x3000: 0x20})

# C0 controls except tab/newline, DEL, and the Unicode noncharacters that break JSON consumers.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_TAG_HINT = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>|&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200b\u202f\u205f]+")
_NEWLINES = re.compile(r"\s*\n\s*")


class _TextExtractor(HTMLParser):
    """Keeps text, drops script/style content, turns block tags into line breaks."""

    _SKIP = {"script", "style", "noscript", "template", "iframe"}
    _BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self._skipping:
            self._skipping -= 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def looks_like_html(text: str) -> bool:
    return bool(_TAG_HINT.search(text))


def strip_html(text: str) -> str:
    parser = _TextExtractor()
    parser.feed(text)
    parser.close()
    return html.unescape("".join(parser.parts))


def remove_control_chars(text: str) -> str:
    return _CONTROL.sub("", text)


# Nothing to read in these alone: spaces, control and format characters (BOM, zero-width space,
# joiners, word joiner …) and marks that only modify a preceding character (variation selectors).
_INVISIBLE = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Mn", "Me"})


def has_visible_text(text: str) -> bool:
    return any(unicodedata.category(ch) not in _INVISIBLE for ch in text)


def normalise_query(query: str) -> str:
    """A search query folded as post texts are for analysis: control characters (NUL, tab …) become
    spaces, format characters (zero-width space …) go, then half-width and Simplified."""
    kept = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in query
                   if unicodedata.category(ch) != "Cf")
    return to_simplified(to_halfwidth(kept)).strip()


def collapse_whitespace(text: str) -> str:
    return _NEWLINES.sub("\n", _SPACES.sub(" ", text)).strip()


def to_halfwidth(text: str) -> str:
    return text.translate(_FULLWIDTH)


def to_simplified(text: str) -> str:
    return str(zhconv_rs.zhconv(text, "zh-cn"))


_CUT = "\n…\n"


def bounded(text: str, head: int, tail: int) -> str:
    """Long texts are analysed on their head and tail: the lede and the latest update matter most."""
    if len(text) <= head + tail + len(_CUT):
        return text
    return text[:head] + _CUT + (text[-tail:] if tail else "")


def neutralise_markup(text: str) -> str:
    """Markup left after unescaping (&lt;b&gt; → <b>) is shown, not parsed again: keeps analysis idempotent."""
    if _TAG_HINT.search(text):
        return text.replace("&", "＆").replace("<", "＜")
    return text


@dataclass(frozen=True)
class NormalisedText:
    original: str  # control characters removed, cut at the bound
    analysis: str  # plain text, half-width, Simplified, whitespace collapsed, bounded
    had_html: bool
    had_control: bool
    was_traditional: bool
    truncated: bool


def normalise_text(text: str, *, max_chars: int, head: int, tail: int) -> NormalisedText:
    cleaned = remove_control_chars(text)
    had_control = len(cleaned) != len(text)
    truncated = len(cleaned) > max_chars
    original = cleaned[:max_chars] if truncated else cleaned
    # Work on head + tail of the full text before the expensive steps, so huge posts stay cheap.
    # Half-width first: <Ａ> must be seen as the tag it becomes, or a second pass would strip it.
    working = to_halfwidth(bounded(cleaned, head * 2, tail * 2))
    had_html = looks_like_html(working)
    if had_html:
        working = to_halfwidth(neutralise_markup(strip_html(working)))  # entities can spell full-width letters
    working = collapse_whitespace(working)
    simplified = to_simplified(working)
    return NormalisedText(
        original=original,
        analysis=bounded(simplified, head, tail),
        had_html=had_html,
        had_control=had_control,
        was_traditional=simplified != working,
        truncated=truncated,
    )
