"""The labelled corpus: loading, the by-event split, and staff corrections.

The raw corpus is classify/data/raw/part*.jsonl (one hand-labelled post a line: event, text,
source, topics, grade, sentiment, kind, script). Posts about one event share names, figures and
phrasing, so the split is BY EVENT: no event has posts in two splits, otherwise the test set would
reward memorising an event rather than reading a post.

The split is iterative stratification (Sechidis et al., 2011) over events: the rarest label is
placed first, each event going to the split that still wants most of that label. That keeps every
topic and every grade in dev and test even though events differ in size.

Texts are normalised the way ingest normalises `Post.text_norm` (Simplified, half-width, HTML
stripped), so what the model trains on is what it sees in the pipeline.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from sentinel.classify.figures import missing_person_sought
from sentinel.classify.numbers import fold
from sentinel.domain.codes import Grade, Sentiment, TopicCode
from sentinel.ingest.normalize import NormaliseConfig
from sentinel.ingest.text import normalise_text

SPLITS = ("train", "dev", "test")
FRACTIONS = {"train": 0.8, "dev": 0.1, "test": 0.1}
DEFAULT_SEED = 20261122


class LabelledPost(BaseModel):
    """One labelled post; `text` is the raw text as written, `analysis` the normalised one."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    event: str
    text: str
    topics: tuple[TopicCode, ...] = Field(min_length=1, max_length=3)  # primary first
    grade: Grade
    sentiment: Sentiment | None = None  # a correction may leave it out: the loss then skips it
    source: str = ""
    kind: str = ""
    script: str = ""
    # Where a set gives them (as posts do: validated when the post is built, and dropped there if unreadable):
    published_at: Any = None  # the classifier dates "a past year" from it
    title: Any = None  # a news item's headline, apart from the text

    @property
    def analysis(self) -> str:
        return analysis_text(self.text)

    def labels(self) -> set[str]:
        return {f"topic:{t.value}" for t in self.topics} | {f"grade:{self.grade.value}"}


class Correction(BaseModel):
    """A duty officer's correction of one classification, appended by the API."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    post_id: str
    text: str
    topics: tuple[TopicCode, ...] = Field(min_length=1, max_length=3)
    grade: Grade
    sentiment: Sentiment | None = None
    at: AwareDatetime
    actor: str = ""


class CorpusError(ValueError):
    """A corpus or corrections line is not valid; the message names the file and line."""


@lru_cache(maxsize=8192)
def analysis_text(text: str) -> str:
    """The text as the classify stage sees it (`Post.text_norm`)."""
    cfg = NormaliseConfig()
    return normalise_text(
        text, max_chars=cfg.max_text_chars, head=cfg.analysis_head_chars, tail=cfg.analysis_tail_chars
    ).analysis


def default_data_dir() -> Path:
    from sentinel.settings import find_config_dir  # settings reads the environment: import late

    return find_config_dir() / "classify" / "data"


def _read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, object]]]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CorpusError(f"{path}:{number}: invalid JSON: {exc.msg}") from exc
            if not isinstance(obj, dict):
                raise CorpusError(f"{path}:{number}: expected a JSON object")
            yield number, obj


def load_jsonl(path: Path) -> list[LabelledPost]:
    posts = []
    for number, obj in _read_jsonl(path):
        try:
            posts.append(LabelledPost.model_validate(obj))
        except ValidationError as exc:
            raise CorpusError(f"{path}:{number}: {exc.errors()[0]['loc']}: {exc.errors()[0]['msg']}") from exc
    return posts


def load_raw(data_dir: Path | None = None) -> list[LabelledPost]:
    """Every raw part, in file order."""
    folder = (data_dir or default_data_dir()) / "raw"
    parts = sorted(folder.glob("part*.jsonl"))
    if not parts:
        raise CorpusError(f"no part*.jsonl under {folder}")
    return [post for part in parts for post in load_jsonl(part)]


# --- the split ---------------------------------------------------------------------------------


def split_by_event(
    posts: Sequence[LabelledPost], seed: int = DEFAULT_SEED, fractions: dict[str, float] | None = None
) -> dict[str, list[LabelledPost]]:
    """Deterministic, stratified, by-event split; posts keep corpus order inside each split."""
    fractions = fractions or FRACTIONS
    events: dict[str, list[LabelledPost]] = defaultdict(list)
    for post in posts:
        events[post.event].append(post)
    names = sorted(events)
    random.Random(seed).shuffle(names)  # noqa: S311 - ties are broken by this seeded order, not a secret
    labels = {name: Counter(label for p in events[name] for label in p.labels()) for name in names}
    total = Counter(label for name in names for label in labels[name].elements())
    wanted = {s: {label: n * f for label, n in total.items()} for s, f in fractions.items()}
    wanted_posts = {s: len(posts) * f for s, f in fractions.items()}
    assigned: dict[str, str] = {}
    remaining = set(names)
    while remaining:
        # the label with the fewest posts still to place decides which events go next
        left = Counter(label for name in remaining for label in labels[name].elements())
        label = min(left, key=lambda lab: (left[lab], lab))
        for name in [n for n in names if n in remaining and label in labels[n]]:
            split = max(fractions, key=lambda s: (wanted[s][label], wanted_posts[s]))
            assigned[name] = split
            remaining.discard(name)
            for lab, count in labels[name].items():
                wanted[split][lab] -= count
            wanted_posts[split] -= len(events[name])
    out: dict[str, list[LabelledPost]] = {s: [] for s in fractions}
    for post in posts:
        out[assigned[post.event]].append(post)
    return out


def check_split(splits: dict[str, list[LabelledPost]]) -> list[str]:
    """Problems with a split (an event in two splits, a topic or grade missing from dev/test)."""
    problems = []
    seen: dict[str, str] = {}
    for name, posts in splits.items():
        for post in posts:
            if seen.setdefault(post.event, name) != name:
                problems.append(f"event {post.event} in {seen[post.event]} and {name}")
    for name in ("dev", "test"):
        posts = splits.get(name, [])
        topics = {t for p in posts for t in p.topics}
        grades = {p.grade for p in posts}
        problems += [f"{name}: no topic {t.value}" for t in TopicCode if t not in topics]
        problems += [f"{name}: no grade {g.value}" for g in Grade if g not in grades]
    return problems


def write_splits(splits: dict[str, list[LabelledPost]], data_dir: Path | None = None) -> dict[str, Path]:
    folder = (data_dir or default_data_dir()) / "splits"
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, posts in splits.items():
        path = folder / f"{name}.jsonl"
        lines = (json.dumps(p.model_dump(mode="json", exclude_none=True), ensure_ascii=False) for p in posts)
        path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        paths[name] = path
    return paths


def load_splits(data_dir: Path | None = None, seed: int = DEFAULT_SEED) -> dict[str, list[LabelledPost]]:
    """The written splits; made (and written) from the raw corpus when absent."""
    folder = (data_dir or default_data_dir()) / "splits"
    if all((folder / f"{s}.jsonl").is_file() for s in SPLITS):
        return {s: load_jsonl(folder / f"{s}.jsonl") for s in SPLITS}
    splits = split_by_event(load_raw(data_dir), seed=seed)
    problems = check_split(splits)
    if problems:
        raise CorpusError("split check failed: " + "; ".join(problems[:5]))
    write_splits(splits, data_dir)
    return splits


# --- staff corrections -------------------------------------------------------------------------


def corrections_path(data_dir: Path) -> Path:
    """Where the API appends staff corrections (one JSON object a line)."""
    return data_dir / "corrections.jsonl"


def load_corrections(path: Path) -> list[Correction]:
    """Valid corrections, the latest per post (by `at`); a missing file is no corrections."""
    if not path.is_file():
        return []
    latest: dict[str, Correction] = {}
    for number, obj in _read_jsonl(path):
        try:
            item = Correction.model_validate(obj)
        except ValidationError as exc:
            raise CorpusError(f"{path}:{number}: {exc.errors()[0]['loc']}: {exc.errors()[0]['msg']}") from exc
        held = latest.get(item.post_id)
        if held is None or item.at >= held.at:
            latest[item.post_id] = item
    return sorted(latest.values(), key=lambda c: (c.at, c.post_id))


def corrections_as_posts(
    corrections: Iterable[Correction], exclude_texts: Iterable[str] = ()
) -> list[LabelledPost]:
    """Corrections as training posts; texts also in dev/test are dropped so evaluation stays clean."""
    held_out = {analysis_text(t) for t in exclude_texts}
    return [
        LabelledPost(
            event=f"correction:{c.post_id}",
            text=c.text,
            topics=c.topics,
            grade=c.grade,
            sentiment=c.sentiment,
            source="correction",
            kind="correction",
        )
        for c in corrections
        if analysis_text(c.text) not in held_out
    ]


def summary(posts: Sequence[LabelledPost]) -> dict[str, Counter[str]]:
    """Counts per primary topic, any topic, grade, sentiment, kind, source and script."""
    return {
        "primary_topic": Counter(p.topics[0].value for p in posts),
        "topic": Counter(t.value for p in posts for t in p.topics),
        "grade": Counter(p.grade.value for p in posts),
        "sentiment": Counter(p.sentiment.value if p.sentiment else "-" for p in posts),
        "kind": Counter(p.kind for p in posts),
        "source": Counter(p.source for p in posts),
        "script": Counter(p.script for p in posts),
    }



# --- labelling rules applied to the whole raw corpus ---------------------------------------------
#
# The four raw parts were written by different writer groups, and each group tended to put its own
# topics first. An audit of dev errors found the same kind of post labelled differently by part
# (the same 自建房倒塌 is work_safety first in part1 and housing first in part3; a knife attack at a
# school gate is education first in part2 and public_order first in part4; online fraud is finance
# in part3 and public_order in part4). These rules settle each case once, for every part, following
# the taxonomy's descriptions (classify/taxonomy.yaml) and the lead department that handles it.
# They only reorder topics or add the topic the taxonomy names; grades and sentiment are untouched.
# `apply_label_rules` is idempotent: the shipped raw corpus already satisfies it (a test checks).

SECTOR_TOPICS = frozenset({
    TopicCode.housing, TopicCode.education, TopicCode.health, TopicCode.social_security,
    TopicCode.labor_employment, TopicCode.land_demolition, TopicCode.rural_poverty,
})
_SCAM = re.compile("诈|骗")  # R2 needs a fraud word and a telecom / online channel
_FRAUD = re.compile("电信|网络|电诈|杀猪盘|刷单|冒充|假冒|客服|解冻|网贷|贷款|投资|理财|交友|跨境|平台|群|APP|转账")
_NOT_FRAUD = re.compile("集资|传销")
_BULLYING = re.compile("欺凌|霸凌")
_CAMPUS_CRIME = re.compile("持刀|砍人|砍伤|刺伤|刺死|冲撞|枪击|枪手|斗殴|群殴|抢劫|拐|虐待|纵火|行凶|歹徒|伤人")
# R4: a dwelling that falls down by itself (自建房倒塌, 阳台整块塌下来, 外墙瓷砖脱落); not a site, a factory, a mall, an
# elevator, a disaster, a fire, gas or a blast, nor a demolition. The taxonomy's 房屋安全 scheme says the same at inference.
_DWELLING_FALLS = re.compile(
    "(?:自建房|居民楼|住宅楼|民房|民宅|危房|老楼|楼房|家属楼|宿舍楼|出租楼|出租屋|商住楼|老宅|老房|土坯房|土墙房|房屋|房子"
    "|阳台|外墙|楼体|单元楼|筒子楼|自建楼)[^。！？!?\n]{0,12}?(?:倒塌|坍塌|垮塌|塌|倒了|垮了|脱落|掉下来|掉落)")
_NOT_DWELLING_FALL = re.compile("在建|工地|施工现场|施工时|施工中|塔吊|脚手架|基坑|厂房|车间|仓库|库房|机房|商场|幕墙|广告牌|招牌"
                                "|蜘蛛人|电梯|地震|洪|大水|泥石流|台风|滑坡|暴雪|积雪|大雪|大风|冲垮|冲毁|龙卷风|受灾|灾情"
                                "|火灾|起火|着火|失火|火情|大火|爆炸|爆燃|闪爆|燃爆|爆了|炸|燃气|煤气|天然气|液化气|强拆|推倒|拆迁|强制拆除")
# R6: a school's own evacuation drill (fire, earthquake); not a drill of food poisoning, an epidemic, an attacker, a
# village's flood evacuation, nor one where someone was hurt. The taxonomy's 校园疏散演练 scheme says the same.
_SCHOOL = re.compile("学校|小学|中学|一小|二小|幼儿园|校园|师生|全校|全园|我校|我园")
_NOT_SCHOOL_DRILL = re.compile("真的|没想到|观摩|平时|刚结束|食物中毒|食品|食堂|午餐|传染病|疫情|发热|疾控|水痘|歹徒|防暴|反恐|拐|持刀|防汛|转移|村民|危化|化工"
                               "|泄漏|踩踏|拥挤|摔倒|骨折|伤|小区|社区")

LABEL_RULES = {
    "R1 accident first": "in an incident event (some post graded above none), a post labelled work_safety with "
    "a sector topic (housing, education, health, social_security, labor_employment, land_demolition, "
    "rural_poverty) has work_safety first: a fire, explosion or collapse is a 生产安全事故 wherever it "
    "happens (应急管理局 leads; graded by the accident thresholds); the premises' sector is secondary",
    "R2 online fraud": "a post with finance first about telecom / online fraud (电信网络诈骗, 杀猪盘, 刷单, "
    "冒充客服, 虚假投资理财; not 集资 or 传销) has public_order first and finance second (taxonomy: "
    "电信网络诈骗 is 社会治安, 公安局 leads)",
    "R3 campus crime": "a post labelled education and public_order: if its event is about bullying (欺凌/霸凌) "
    "education is first (taxonomy: 校园欺凌 is 教育); else if its event is a violent crime (持刀, 冲撞, 斗殴, "
    "抢劫, 拐骗, 虐待, …) public_order is first (刑事案件: 公安局 leads)",
    "R4 dwelling falls": "in an incident event where a post tells a dwelling falling down by itself (自建房倒塌, "
    "居民楼坍塌, 阳台/外墙脱落; not on a site, in a factory, in a disaster, by fire or blast), a post labelled "
    "housing and work_safety has housing first: 房屋安全 is 住建's (taxonomy: 房屋质量), as every outside writer "
    "since 2026-11-24 labelled it (19 of 19); R1 gives way to it",
    "R5 person sought": "a post graded none that seeks a person missing now (寻人, 走失…已报警, 有看到的请联系; not one "
    "found, a pet, advice or a case of long ago: figures.missing_person_sought) is graded general: one missing is "
    "a public-order case under grading.yaml's general_if_any, as outside writers graded it (7 of 8)",
    "R6 school drill": "a school's own fire or earthquake evacuation drill (全校师生…疏散演练; not a drill of food "
    "poisoning, an epidemic, an attacker or a village's evacuation, nor one where someone was hurt) labelled "
    "work_safety or natural_disaster first has education first and the hazard second, as outside writers "
    "labelled it (30 of 33)",
}


def _school_drill(text: str) -> bool:
    return "演练" in text and bool(_SCHOOL.search(text)) and not _NOT_SCHOOL_DRILL.search(text)


def _dwelling_falls(text: str) -> bool:
    return bool(_DWELLING_FALLS.search(text)) and not _NOT_DWELLING_FALL.search(text)


def _is_online_fraud(text: str) -> bool:
    return bool(_SCAM.search(text) and _FRAUD.search(text) and not _NOT_FRAUD.search(text))


def _first(topics: Sequence[TopicCode], code: TopicCode) -> tuple[TopicCode, ...]:
    return (code, *[t for t in topics if t is not code])[:3]


def apply_label_rules(posts: Sequence[LabelledPost]) -> tuple[list[LabelledPost], Counter[str]]:
    """The posts with LABEL_RULES applied (same order), and how many posts each rule changed."""
    events: dict[str, list[LabelledPost]] = defaultdict(list)
    for post in posts:
        events[post.event].append(post)
    incident = {name: any(p.grade is not Grade.none for p in group) for name, group in events.items()}
    event_text = {name: "\n".join(p.analysis for p in group) for name, group in events.items()}
    # the whole event's text: one post of a gas blast may tell only 楼塌了
    dwelling = {name: _dwelling_falls(text) for name, text in event_text.items()}
    changed: Counter[str] = Counter()
    out = []
    for post in posts:
        if post.grade is Grade.none and missing_person_sought(fold(post.analysis)) is not None:
            changed["R5 person sought"] += 1
            post = post.model_copy(update={"grade": Grade.general})
        topics = tuple(post.topics)
        rule = ""
        if (incident[post.event] and dwelling[post.event] and topics[0] is TopicCode.work_safety
                and TopicCode.housing in topics):
            topics, rule = _first(topics, TopicCode.housing), "R4 dwelling falls"
        elif (incident[post.event] and TopicCode.work_safety in topics[1:] and topics[0] in SECTOR_TOPICS
              and not (dwelling[post.event] and topics[0] is TopicCode.housing)):
            topics, rule = _first(topics, TopicCode.work_safety), "R1 accident first"
        elif topics[0] in (TopicCode.work_safety, TopicCode.natural_disaster) and _school_drill(fold(post.analysis)):
            topics, rule = _first(topics, TopicCode.education), "R6 school drill"
        elif topics[0] is TopicCode.finance and _is_online_fraud(post.analysis):
            topics, rule = _first(topics, TopicCode.public_order), "R2 online fraud"
        elif {TopicCode.education, TopicCode.public_order} <= set(topics):
            text = event_text[post.event]
            want = (TopicCode.education if _BULLYING.search(text)
                    else TopicCode.public_order if _CAMPUS_CRIME.search(text) else None)
            if want is not None and topics[0] is not want:
                topics, rule = _first(topics, want), "R3 campus crime"
        if rule and topics != tuple(post.topics):
            changed[rule] += 1
            post = post.model_copy(update={"topics": topics})
        out.append(post)
    return out, changed


def extend_splits(
    raw: Sequence[LabelledPost], written: dict[str, list[LabelledPost]], seed: int = DEFAULT_SEED
) -> dict[str, list[LabelledPost]]:
    """The raw corpus split so that every event already in a written split stays there, and only
    events new to the corpus are split (stratified among themselves): adding a raw part leaves
    dev and test as they were, plus their share of the new events, so figures before and after
    stay comparable. Labels always come from `raw`."""
    placed = {post.event: name for name, posts in written.items() for post in posts}
    fresh = split_by_event([p for p in raw if p.event not in placed], seed=seed)
    placed.update({post.event: name for name, posts in fresh.items() for post in posts})
    out: dict[str, list[LabelledPost]] = {name: [] for name in FRACTIONS}
    for post in raw:
        out[placed[post.event]].append(post)
    return out


def relabel_raw(data_dir: Path | None = None) -> Counter[str]:
    """Apply LABEL_RULES to every raw part in place (only `topics` and `grade` change; other fields and line
    order are kept), then write the splits: events already split keep their split, new events
    (a new raw part) are split among themselves (`extend_splits`)."""
    folder = (data_dir or default_data_dir()) / "raw"
    changed: Counter[str] = Counter()
    for part in sorted(folder.glob("part*.jsonl")):
        raw = [obj for _, obj in _read_jsonl(part)]
        fixed, counts = apply_label_rules(load_jsonl(part))
        changed.update({f"{part.name} {rule}": n for rule, n in counts.items()})
        for obj, post in zip(raw, fixed, strict=True):
            obj["topics"] = [t.value for t in post.topics]
            obj["grade"] = post.grade.value
        part.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in raw), encoding="utf-8")
    folder = (data_dir or default_data_dir()) / "splits"
    written = ({s: load_jsonl(folder / f"{s}.jsonl") for s in SPLITS}
               if all((folder / f"{s}.jsonl").is_file() for s in SPLITS) else {})
    splits = extend_splits(load_raw(data_dir), written)
    problems = check_split(splits)
    if problems:
        raise CorpusError("split check failed: " + "; ".join(problems[:5]))
    write_splits(splits, data_dir)
    return changed


if __name__ == "__main__":  # python -m sentinel.classify.data: relabel the raw corpus, split new events
    for key, count in sorted(relabel_raw().items()):
        print(f"{key}: {count}")
