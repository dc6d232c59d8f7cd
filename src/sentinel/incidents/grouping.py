"""Which incident a classified post belongs to: a repost or light edit of one of its posts, or a
report of the same event (shared key terms and places, compatible topic and region, close in time).

Texts are compared as sets of character bigrams. The measure is weighted containment — the share
of the post's bigram weight found in the incident's profile — so a short repost of a long article
still matches, and shared rare bigrams (透水, 恒泰, 沙溪) count far more than common ones (发生, 网友):
weights come from a background corpus (weights.py), squared to sharpen the contrast. A shared
anchor — a specific place or organisation name (柳林镇, 沙溪河大桥, 恒泰公司) — adds to the score.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sentinel.incidents.weights import weight

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}|[a-z0-9]{3,}")
_REPOST_CHAIN = re.compile(r"//@[^:：]{1,30}[:：]|转发微博|#([^#]{1,40})#")
# Bigrams so common in posts that they say nothing about which event a post reports.
_STOP = frozenset(
    ["发生", "目前", "情况", "相关", "工作", "进行", "部门", "表示", "记者", "网友", "我们", "一个", "没有", "已经", "现在", "今天", "今年", "这个", "什么", "时候", "小时", "人员", "有关", "通报", "了解", "据悉", "获悉", "消息", "事件", "事故", "现场", "视频", "网传", "大家", "希望", "转发", "真的", "不是", "就是", "还是", "可以", "知道", "这么", "怎么", "为什么", "问题", "政府", "领导", "群众", "市民", "居民", "有人", "看到", "说是", "听说", "据说", "一下", "以上", "如下", "以下", "及时", "后续", "将及", "时发", "布后", "续情", "况将", "有关", "关注", "进一", "一步", "步调", "调查", "原因", "正在", "全力", "开展", "处置", "发布", "情况"]
)
_ANCHOR = re.compile(
    r"(?=([\u4e00-\u9fff]{2}(?:镇|乡|村|街道|社区|小区|园区|大桥|桥|隧道|煤矿|矿|中学|小学|幼儿园|学校|医院|公司|"
    r"工厂|化工|厂|酒店|商场|市场|广场|高速|大道|路|街|河|江|湖|水库|工地|项目|楼盘)))"
)
ANCHOR_BONUS = 0.25
PROFILE_SIZE = 400  # bigrams kept per incident, most frequent first
MAX_AUTHORS = 5000
MAX_ANCHORS = 200  # beyond this the distinct-author count is a lower bound


def anchors(text: str, ignore: frozenset[str] = frozenset()) -> set[str]:
    """Specific place/organisation names; `ignore` holds the jurisdiction's own unit names."""
    # Two characters before the suffix (兴旺|煤矿, 大坪|镇, 沙溪|河): long enough to be specific,
    # short enough that "听说兴旺矿" and "兴旺矿透水" yield the same name.
    return {m.group(1) for m in _ANCHOR.finditer(text) if m.group(1) not in ignore}


def weighted(grams: set[str]) -> dict[str, float]:
    """Each bigram's weight, squared: computed once per post, then compared with every candidate."""
    return {g: weight(g) ** 2 for g in grams}


def bigrams(text: str) -> set[str]:
    text = _REPOST_CHAIN.sub(" ", text.lower())
    grams: set[str] = set()
    for run in _CJK_RUN.findall(text):
        if run.isascii():
            grams.add(run)
            continue
        grams.update(run[i : i + 2] for i in range(len(run) - 1))
    return grams - _STOP


@dataclass
class Profile:
    """What grouping remembers about an open incident (persisted as its signature)."""

    incident_id: str
    topics: set[str]
    unit_ids: set[str]
    last_seen: datetime
    first_seen: datetime
    grams: Counter[str] = field(default_factory=Counter)
    posts: int = 0
    authors: set[str] = field(default_factory=set)
    anchors: set[str] = field(default_factory=set)
    titled: bool = False  # the title came from a titled report (news, 通报), not a post's first line

    def add(self, grams: set[str]) -> None:
        self.grams.update(grams)
        self.posts += 1
        if len(self.grams) > PROFILE_SIZE * 2:
            self.grams = Counter(dict(self.grams.most_common(PROFILE_SIZE)))

    def containment(self, grams: set[str] | dict[str, float]) -> float:
        """Weighted share of the post's bigrams that the incident has seen (see `weighted`)."""
        weights = grams if isinstance(grams, dict) else weighted(grams)
        total = sum(weights.values())
        if not total:
            return 0.0
        own = self.grams
        return sum(w for g, w in weights.items() if g in own) / total

    def to_json(self) -> dict[str, object]:
        return {
            "topics": sorted(self.topics), "units": sorted(self.unit_ids), "posts": self.posts,
            "grams": dict(self.grams.most_common(PROFILE_SIZE)),
            "authors": sorted(self.authors)[:MAX_AUTHORS], "titled": self.titled,
            "anchors": sorted(self.anchors)[:MAX_ANCHORS],
        }

    @classmethod
    def from_json(cls, incident_id: str, first_seen: datetime, last_seen: datetime, data: dict[str, object]) -> Profile:
        grams = data.get("grams", {})
        posts = data.get("posts", 0)
        return cls(
            incident_id=incident_id,
            topics=_strings(data.get("topics")),
            unit_ids=_strings(data.get("units")),
            first_seen=first_seen,
            last_seen=last_seen,
            grams=Counter({str(k): int(v) for k, v in grams.items()} if isinstance(grams, dict) else {}),
            posts=posts if isinstance(posts, int) else 0,
            authors=_strings(data.get("authors")),
            anchors=_strings(data.get("anchors")),
            titled=bool(data.get("titled", False)),
        )


def _strings(value: object) -> set[str]:
    return {str(v) for v in value} if isinstance(value, list) else set()


@dataclass(frozen=True)
class GroupingConfig:
    window: timedelta = timedelta(hours=72)
    near_duplicate: float = 0.8  # a repost or light edit: attach whatever the topic
    same_event: float = 0.3  # same event: needs a shared topic (or none) and compatible places
    min_grams: int = 4  # shorter posts only attach as near-duplicates


@dataclass(frozen=True)
class Match:
    incident_id: str
    score: float
    reason: str  # near_duplicate | same_event


class Grouper:
    def __init__(self, config: GroupingConfig | None = None) -> None:
        self.config = config or GroupingConfig()
        self.profiles: dict[str, Profile] = {}

    def load(self, profile: Profile) -> None:
        self.profiles[profile.incident_id] = profile

    def forget_older_than(self, when: datetime) -> None:
        for key in [k for k, p in self.profiles.items() if p.last_seen < when]:
            del self.profiles[key]

    def matches(
        self, grams: set[str], topics: set[str], unit_ids: set[str], at: datetime, post_anchors: set[str] | None = None
    ) -> list[Match]:
        """Every open incident this post could belong to, best first."""
        cfg = self.config
        found: list[Match] = []
        weights = weighted(grams)
        for profile in self.profiles.values():
            if at - profile.last_seen > cfg.window or profile.first_seen - at > cfg.window:
                continue
            score = profile.containment(weights)
            if score >= cfg.near_duplicate:
                found.append(Match(profile.incident_id, score, "near_duplicate"))
                continue
            if post_anchors and profile.anchors:
                if post_anchors & profile.anchors:
                    score += ANCHOR_BONUS
                else:
                    # Both name specific places and none is shared: 东山镇 and 西湖镇 explosions
                    # the same afternoon are two incidents, however alike the wording.
                    score -= ANCHOR_BONUS
            # A comment often names no topic of its own; it may still join by its words.
            topic_ok = not topics or not profile.topics or bool(topics & profile.topics) or topics == {"other"}
            # Two fires in two counties the same day are two incidents: places must not conflict.
            place_ok = not unit_ids or not profile.unit_ids or bool(unit_ids & profile.unit_ids)
            if not (topic_ok and place_ok):
                continue
            if score >= cfg.same_event and len(grams) >= cfg.min_grams:
                found.append(Match(profile.incident_id, score, "same_event"))
        return sorted(found, key=lambda m: -m.score)

    def best_match(
        self, grams: set[str], topics: set[str], unit_ids: set[str], at: datetime, post_anchors: set[str] | None = None
    ) -> Match | None:
        found = self.matches(grams, topics, unit_ids, at, post_anchors)
        return found[0] if found else None
