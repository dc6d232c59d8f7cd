"""Training smoke test on a tiny config: the loss falls, the saved model reloads offline from a
temporary folder (in a fresh process with HF_HUB_OFFLINE=1) and gives the same probabilities."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")

from sentinel.classify.data import LabelledPost, load_splits  # noqa: E402
from sentinel.classify.model.predict import ModelScorer  # noqa: E402
from sentinel.classify.model.train import TrainConfig, save, train  # noqa: E402

TINY = TrainConfig(
    pretrained=None,  # a fresh encoder of the tiny size (the shipped pretrained one is 2x128)
    hidden_size=32,
    num_layers=1,
    num_heads=2,
    intermediate_size=64,
    max_length=64,
    people_daily=False,  # reading the newspaper corpus costs seconds the smoke test does not need
    mlm_steps=3,
    mlm_batch_size=8,
    mlm_max_length=32,
    epochs=8,
    batch_size=8,
    lr=3e-3,
    warmup_ratio=0.05,
    threads=1,
    review_sentiment_weight=0.0,  # the review sentences have their own test (test_sentiment_real.py)
)
PROBE = ["矿井透水12人被困", "小区楼下烧烤店油烟扰民，投诉多次没人管", "为社区工作人员点赞", ""]

RELOAD = """
import json, sys
from pathlib import Path
from sentinel.classify.model.predict import ModelScorer
scores = ModelScorer(Path(sys.argv[1]), quantised=False, threads=1).score(json.loads(sys.argv[2]))
print(json.dumps([scores.topics.tolist(), scores.grades.tolist(), scores.sentiments.tolist()]))
"""


@pytest.fixture(scope="module")
def posts() -> tuple[list[LabelledPost], list[LabelledPost]]:
    splits = load_splits()
    return splits["train"][:60], splits["dev"][:20]


def test_loss_falls_and_reload_offline_matches(posts: tuple[list[LabelledPost], list[LabelledPost]],
                                              tmp_path: Path) -> None:
    train_posts, dev_posts = posts
    result = train(TINY, train_posts, dev_posts)
    losses = [h["loss"] for h in result.history]
    assert losses[-1] < losses[0] * 0.9, losses

    folder = save(result, TINY, tmp_path / "model")
    for name in ("model.safetensors", "config.json", "tokenizer.json", "label_map.json", "train_config.json"):
        assert (folder / name).is_file(), name
    recorded = json.loads((folder / "train_config.json").read_text(encoding="utf-8"))
    assert recorded["config"]["seed"] == TINY.seed
    assert recorded["wall_seconds"]["total"] > 0
    # the labelled news joined the linear head's fits (TINY leaves the review sentences out)
    assert recorded["real_text"] == {"topic_examples": 1500, "sentiment_examples": 1500}
    from safetensors import safe_open

    with safe_open(str(folder / "model.safetensors"), "np") as stored:  # the n-gram table at half precision
        names = stored.keys()  # a safetensors handle, not a dict: it has no __iter__
        dtypes = {name: str(stored.get_tensor(name).dtype) for name in names if name.startswith("ngrams.")}
    assert dtypes == {"ngrams.weight": "float16"}

    here = ModelScorer(folder, quantised=False, threads=1).score(PROBE)
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf")}
    proc = subprocess.run(
        [sys.executable, "-c", RELOAD, str(folder), json.dumps(PROBE, ensure_ascii=False)],
        capture_output=True, text=True, env=env, timeout=120, check=True,
    )
    topics, grades, sentiments = json.loads(proc.stdout.strip().splitlines()[-1])
    np.testing.assert_allclose(here.topics, topics, atol=1e-5)
    np.testing.assert_allclose(here.grades, grades, atol=1e-5)
    np.testing.assert_allclose(here.sentiments, sentiments, atol=1e-5)
    assert np.allclose(here.grades.sum(axis=1), 1.0, atol=1e-4)


def test_same_seed_same_model(posts: tuple[list[LabelledPost], list[LabelledPost]]) -> None:
    train_posts, dev_posts = posts
    cfg = TINY.model_copy(update={"epochs": 2, "mlm_steps": 0})
    a = train(cfg, train_posts[:30], dev_posts)
    b = train(cfg, train_posts[:30], dev_posts)
    assert [h["loss"] for h in a.history] == [h["loss"] for h in b.history]


def test_split_is_by_event_and_covers_every_label() -> None:
    from sentinel.classify.data import check_split, load_raw, split_by_event

    raw = load_raw()
    first = split_by_event(raw, seed=7)
    assert check_split(first) == []
    assert sum(len(v) for v in first.values()) == len(raw)
    again = split_by_event(raw, seed=7)
    assert [p.event for p in again["test"]] == [p.event for p in first["test"]]


def test_corrections_latest_wins_and_held_out_texts_dropped(tmp_path: Path) -> None:
    from sentinel.classify.data import corrections_as_posts, corrections_path, load_corrections

    path = corrections_path(tmp_path)
    lines = [
        {"post_id": "p1", "text": "某地化工厂爆炸", "topics": ["work_safety"], "grade": "general",
         "sentiment": "negative", "at": "2026-11-20T08:00:00+08:00", "actor": "duty"},
        {"post_id": "p1", "text": "某地化工厂爆炸", "topics": ["work_safety"], "grade": "serious",
         "at": "2026-11-20T09:00:00+08:00", "actor": "lead"},
        {"post_id": "p2", "text": "测试文本", "topics": ["other"], "grade": "none",
         "at": "2026-11-20T09:00:00+08:00"},
    ]
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    corrections = load_corrections(path)
    assert [(c.post_id, c.grade.value) for c in corrections] == [("p1", "serious"), ("p2", "none")]
    posts = corrections_as_posts(corrections, exclude_texts=["测试文本"])
    assert [p.event for p in posts] == ["correction:p1"]
    assert posts[0].sentiment is None


def test_linear_head_matches_sklearn_and_reloads(posts: tuple[list[LabelledPost], list[LabelledPost]],
                                                 tmp_path: Path) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    from sentinel.classify.model.linear import LinearHead, fit_linear_head

    train_posts, dev_posts = posts
    texts = [p.analysis for p in train_posts]
    head = fit_linear_head(texts, [p.topics for p in train_posts], [p.grade for p in train_posts],
                           [p.sentiment for p in train_posts])
    reference = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=2).fit(texts)
    probe = [*(p.analysis for p in dev_posts), "  多个   空格\n\n换行 ABC abc", ""]
    expected = reference.transform(probe).toarray()
    for i, text in enumerate(probe):
        idx, values = head.features(text)
        row = np.zeros(len(head.vocab))
        row[idx] = values
        np.testing.assert_allclose(row, expected[i], atol=1e-6)
    head.save(tmp_path)
    loaded = LinearHead.load(tmp_path)
    assert loaded is not None
    a, b = head.probabilities(probe), loaded.probabilities(probe)
    for key in ("topics", "grades", "sentiments"):
        np.testing.assert_allclose(a[key], b[key], atol=1e-3)  # weights are stored in float16
    assert np.allclose(b["grades"].sum(axis=1), 1.0, atol=1e-4)
    assert LinearHead.load(tmp_path / "missing") is None


def test_raw_corpus_follows_the_label_rules() -> None:
    from sentinel.classify.data import apply_label_rules, load_raw

    raw = load_raw()
    fixed, changed = apply_label_rules(raw)
    assert not changed, changed
    assert [p.topics for p in fixed] == [p.topics for p in raw]
    assert [p.grade for p in fixed] == [p.grade for p in raw]


def test_a_person_sought_now_is_graded_general() -> None:
    """Label rule R5: a 寻人 appeal for someone missing now is one missing, 一般; found, a pet or a tale is not."""
    from sentinel.classify.data import LabelledPost, apply_label_rules

    def post(text: str) -> LabelledPost:
        return LabelledPost.model_validate({"event": text[:6], "text": text, "topics": ["public_order"],
                                            "grade": "none", "sentiment": "negative", "source": "weibo"})

    fixed, changed = apply_label_rules([
        post("【寻人】我爷爷78岁，有老年痴呆，昨天下午在集市走失，已经报警，有看到的请联系"),
        post("好消息！走失的老人已经被民警找到了，平安回家，谢谢大家转发"),
        post("寻狗启事：昨晚在公园走失一只金毛，有看到的请联系"),
        post("被拐32年，他终于回家了。1992年在火车站走失的陈某与父母相认"),
    ])
    assert [p.grade.value for p in fixed] == ["general", "none", "none", "none"]
    assert changed == {"R5 person sought": 1}


def test_a_schools_own_drill_is_education_first() -> None:
    """Label rule R6: a school's fire or earthquake drill is education's, the hazard second; other drills keep theirs."""
    from sentinel.classify.data import LabelledPost, apply_label_rules

    def post(text: str, topics: list[str]) -> LabelledPost:
        return LabelledPost.model_validate({"event": text[:6], "text": text, "topics": topics, "grade": "none",
                                            "sentiment": "neutral", "source": "weibo"})

    fixed, changed = apply_label_rules([
        post("學校今天搞火災疏散演練，全校一千二百多人三分鐘撤到操場", ["work_safety"]),
        post("城关小学开展地震应急疏散演练，1600余名师生2分30秒撤离", ["natural_disaster", "education"]),
        post("县二中开展食物中毒应急演练，模拟30余名学生呕吐", ["food_drug", "education"]),
        post("某小学疏散演练中发生拥挤，7名学生擦伤", ["work_safety", "education"]),
    ])
    assert [[t.value for t in p.topics] for p in fixed] == [
        ["education", "work_safety"], ["education", "natural_disaster"], ["food_drug", "education"],
        ["work_safety", "education"]]
    assert changed == {"R6 school drill": 2}


def test_a_dwelling_that_falls_is_housing_first_and_a_blast_stays_work_safety() -> None:
    """Label rule R4 over R1, decided on the event's whole text (one post of a gas blast may say only 楼塌了)."""
    from sentinel.classify.data import LabelledPost, apply_label_rules

    def post(event: str, text: str) -> LabelledPost:
        return LabelledPost.model_validate({"event": event, "text": text, "topics": ["work_safety", "housing"],
                                            "grade": "relatively_serious", "sentiment": "negative", "source": "weibo"})

    fixed, changed = apply_label_rules([
        post("a", "城关镇一栋四层自建房突然倒塌，已造成3人死亡"), post("a", "三条命啊，房东私自加层"),
        post("b", "小区燃气爆炸，3人死亡"), post("b", "整栋楼塌了一半"),
    ])
    assert [p.topics[0].value for p in fixed] == ["housing", "housing", "work_safety", "work_safety"]
    assert changed == {"R4 dwelling falls": 2}


def test_new_events_are_split_and_old_events_stay_where_they_were() -> None:
    from sentinel.classify.data import check_split, extend_splits, load_raw, split_by_event

    raw = load_raw()
    events = sorted({p.event for p in raw})
    old_events = set(events[: len(events) * 3 // 4])
    written = split_by_event([p for p in raw if p.event in old_events], seed=7)
    relabelled = [p.model_copy(update={"sentiment": None}) if p.event in old_events else p for p in raw]

    extended = extend_splits(relabelled, written)

    assert check_split(extended) == []
    assert sum(len(v) for v in extended.values()) == len(raw)
    for name, posts in written.items():
        kept = [p.event for p in extended[name] if p.event in old_events]
        assert kept == [p.event for p in posts]  # same events, same order
    assert all(p.sentiment is None for v in extended.values() for p in v if p.event in old_events)
    new_in = {name: {p.event for p in v if p.event not in old_events} for name, v in extended.items()}
    assert all(new_in.values())  # the new events are shared out, not all dumped in train
