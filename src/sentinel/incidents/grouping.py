"""Which incident a classified post belongs to: a repost or light edit of one of its posts, or a
report of the same event (shared key terms and places, compatible topic and region, close in time).

Texts are compared as sets of character bigrams, minus the bigrams every news text shares; the
measure is containment — the share of the post's bigrams found in the incident's profile — so a
short repost of a long article still matches.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}|[a-z0-9]{3,}")
_REPOST_CHAIN = re.compile(r"//@[^:：]{1,30}[:：]|转发微博|#([^#]{1,40})#")
# Bigrams so common in posts that they say nothing about which event a post reports.
_STOP = frozenset(
    ["发生", "目前", "情况", "相关", "工作", "进行", "部门", "表示", "记者", "网友", "我们", "一个", "没有", "已经", "现在", "今天", "今年", "这个", "什么", "时候", "小时", "人员", "有关", "通报", "了解", "据悉", "获悉", "消息", "事件", "事故", "现场", "视频", "网传", "大家", "希望", "转发", "真的", "不是", "就是", "还是", "可以", "知道", "这么", "怎么", "为什么", "问题", "政府", "领导", "群众", "市民", "居民", "有人", "看到", "说是", "听说", "据说", "一下", "以上", "如下", "以下", "及时", "后续", "将及", "时发", "布后", "续情", "况将", "有关", "关注", "进一", "一步", "步调", "调查", "原因", "正在", "全力", "开展", "处置", "发布", "情况"]
)
PROFILE_SIZE = 400  # bigrams kept per incident, most frequent first
MAX_AUTHORS = 5000  # beyond this the distinct-author count is a lower bound


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
    titled: bool = False  # the title came from a titled report (news, 通报), not a post's first line

    def add(self, grams: set[str]) -> None:
        self.grams.update(grams)
        self.posts += 1
        if len(self.grams) > PROFILE_SIZE * 2:
            self.grams = Counter(dict(self.grams.most_common(PROFILE_SIZE)))

    def containment(self, grams: set[str]) -> float:
        if not grams:
            return 0.0
        return sum(1 for g in grams if g in self.grams) / len(grams)

    def to_json(self) -> dict[str, object]:
        return {
            "topics": sorted(self.topics), "units": sorted(self.unit_ids), "posts": self.posts,
            "grams": dict(self.grams.most_common(PROFILE_SIZE)),
            "authors": sorted(self.authors)[:MAX_AUTHORS], "titled": self.titled,
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
            titled=bool(data.get("titled", False)),
        )


def _strings(value: object) -> set[str]:
    return {str(v) for v in value} if isinstance(value, list) else set()


@dataclass(frozen=True)
class GroupingConfig:
    window: timedelta = timedelta(hours=72)
    near_duplicate: float = 0.8  # a repost or light edit: attach whatever the topic
    same_event: float = 0.3  # same event: needs a shared topic and compatible places
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

    def best_match(self, grams: set[str], topics: set[str], unit_ids: set[str], at: datetime) -> Match | None:
        cfg = self.config
        best: Match | None = None
        for profile in self.profiles.values():
            if at - profile.last_seen > cfg.window or profile.first_seen - at > cfg.window:
                continue
            score = profile.containment(grams)
            if score >= cfg.near_duplicate:
                reason = "near_duplicate"
            elif (
                score >= cfg.same_event
                and len(grams) >= cfg.min_grams
                and (not topics or not profile.topics or topics & profile.topics)
                # Two fires in two counties the same day are two incidents: places must not conflict.
                and (not unit_ids or not profile.unit_ids or unit_ids & profile.unit_ids)
            ):
                reason = "same_event"
            else:
                continue
            if best is None or score > best.score:
                best = Match(profile.incident_id, score, reason)
        return best
