"""Normalisation for analysis: never raises, idempotent, and does what duty staff need."""

from hypothesis import example, given, settings
from hypothesis import strategies as st

from sentinel.ingest.ids import content_hash, derive_post_id
from sentinel.ingest.text import normalise_text

LIMITS = {"max_chars": 100_000, "head": 8_000, "tail": 2_000}
# Text mixing CJK (Traditional and Simplified), full-width forms, markup and control characters.
chinese = st.text(
    alphabet=st.sampled_from(list("後來縣裡爆炸事故死亡人數升至１２ＡＢ　<>/&;pscript 的了是\n\t\x00\x1f😭#@")),
    max_size=300,
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=500), chinese))
@example("<Ａ>")  # full-width letters that form a tag once folded (found by this test, 2026-11-23)
@example("&#65313;<b>x</b>")
def test_normalise_never_raises_and_is_idempotent(text: str) -> None:
    once = normalise_text(text, **LIMITS).analysis
    twice = normalise_text(once, **LIMITS).analysis
    assert twice == once


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=200), chinese), st.sampled_from(["weibo", "news", "hotline"]))
def test_ids_are_stable_and_depend_on_content(text: str, source: str) -> None:
    norm = normalise_text(text, **LIMITS).analysis
    first = derive_post_id(given=None, source=source, url=None, text_norm=norm)
    assert first == derive_post_id(given=None, source=source, url=None, text_norm=norm)
    assert first.startswith("h-")
    assert content_hash(norm) == content_hash(norm)


def test_traditional_is_folded_and_flagged_but_original_kept() -> None:
    result = normalise_text("後來這個縣裡發生了嚴重的爆炸事故", **LIMITS)
    assert result.analysis == "后来这个县里发生了严重的爆炸事故"
    assert result.was_traditional
    assert result.original == "後來這個縣裡發生了嚴重的爆炸事故"


def test_fullwidth_digits_and_letters_become_halfwidth_but_chinese_punctuation_stays() -> None:
    result = normalise_text("死亡１２人，ＡＢＣ　公司。", **LIMITS)
    assert result.analysis == "死亡12人，ABC 公司。"


def test_html_and_script_are_stripped_from_analysis() -> None:
    result = normalise_text("<p>化工厂&nbsp;爆炸</p><script>alert('x')</script><br/>现场浓烟", **LIMITS)
    assert "script" not in result.analysis and "alert" not in result.analysis
    assert "化工厂 爆炸" in result.analysis and "现场浓烟" in result.analysis
    assert result.had_html


def test_nul_and_control_characters_are_removed_and_flagged() -> None:
    result = normalise_text("爆\x00炸\x07事故", **LIMITS)
    assert result.analysis == "爆炸事故"
    assert result.original == "爆炸事故"
    assert result.had_control


def test_huge_text_keeps_a_bounded_original_and_analyses_head_and_tail() -> None:
    text = "开头说明：新港区化工园区爆炸。" + "无关内容" * 60_000 + "结尾：死亡人数升至12人"
    result = normalise_text(text, **LIMITS)
    assert result.truncated and len(result.original) == 100_000
    assert result.analysis.startswith("开头说明") and result.analysis.endswith("死亡人数升至12人")
    assert len(result.analysis) <= 8_000 + 2_000 + 3
