"""Which incident a classified post belongs to: a repost or light edit of one of its posts, or a
report of the same event (shared key terms and places, the same kind of event and district, close
in time), or none.

Texts are compared as sets of character bigrams. The main measure is weighted containment — the
share of the post's bigram weight found in the incident's profile — so a short repost of a long
article still matches, and shared rare bigrams (透水, 恒泰, 沙溪) count far more than common ones
(发生, 网友): weights come from a background corpus (weights.py), squared to sharpen the contrast.
linker.py weighs it with the other evidence into a probability; the best incident at or above the
model's threshold wins.

Hard rules come first, because no weight of evidence should overrule them: a post naming
another district or county than the incident's own never joins it, nor one naming another town of
it — unless both report a hazard that covers an area (a flood, a storm: GroupingConfig.area_kinds),
which is one incident for its county however many towns it reaches. A post naming only the county
may join the incident of one of its towns (most posts about the 石门镇 landslide say just 青石), and
the incident stays that town's; a drill, a retrospective, a
foreign event or a hypothetical joins a real incident only as a near-verbatim copy; a post of
another kind of event and another topic joins only through a shared name.

Deciding post by post, the first reports of one event often open two incidents (a witness's 吓死了,
an official 通报 an hour later, nothing in common yet). Once later posts tie them — each incident
has absorbed what the other's posts said — the merge model (linker.MergeModel) weighs the two
incidents' profiles against each other, and the incidents stage merges them as staff would
(IncidentActions, audited as the system's). The same place and time rules bound it, the two must
share some words or the kind of event, and an incident staff have split, merged or graded by hand is
never merged by grouping.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sentinel.incidents.linker import (
    FEATURES,
    LinkModel,
    PostSignal,
    features,
    load_link_model,
    merge_features,
)
from sentinel.incidents.ownership import unit_of
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
PROFILE_SIZE = 400  # bigrams kept per incident, most frequent first
MAX_AUTHORS = 5000  # beyond this the distinct-author count is a lower bound
MAX_ANCHORS = 200


def anchors(text: str, ignore: frozenset[str] = frozenset()) -> set[str]:
    """Specific place/organisation names; `ignore` holds the jurisdiction's own unit names."""
    # Two characters before the suffix (兴旺|煤矿, 大坪|镇, 沙溪|河): long enough to be specific,
    # short enough that "听说兴旺矿" and "兴旺矿透水" yield the same name.
    return {m.group(1) for m in _ANCHOR.finditer(text) if m.group(1) not in ignore}


def weighted(grams: set[str]) -> dict[str, float]:
    """Each bigram's weight, squared: computed once per post, then compared with every candidate.
    In sorted order, so that sums over it (and so every decision) do not vary with the hash seed."""
    return {g: weight(g) ** 2 for g in sorted(grams)}


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
    unit_counts: Counter[str]  # how many of its posts named each unit
    last_seen: datetime
    first_seen: datetime
    grams: Counter[str] = field(default_factory=Counter)
    posts: int = 0
    authors: set[str] = field(default_factory=set)
    anchors: set[str] = field(default_factory=set)
    kinds: Counter[str] = field(default_factory=Counter)
    titled: bool = False  # the title came from a titled report (news, 通报), not a post's first line

    _majority: dict[str, frozenset[str]] = field(default_factory=dict, init=False, repr=False, compare=False)
    _vector: dict[str, float] | None = field(default=None, init=False, repr=False, compare=False)
    _sums: tuple[float, float] = field(default=(0.0, 0.0), init=False, repr=False, compare=False)

    @property
    def unit_ids(self) -> frozenset[str]:
        """Its own districts or counties: those named by at least half as many posts as the most named.
        A union would let commentary naming several places make one incident compatible with all.
        A unit's own count goes to the places below it that its posts name: posts naming only 梅岭县
        are consistent with its 双河乡 incident, and must not make it the whole county's, open to
        every other town's posts (nor let a few posts naming another county outweigh its own)."""
        if "units" not in self._majority:
            counts = Counter(self.unit_counts)
            for unit in {unit_of(k) for k in counts if "/" in k}:
                own = counts.pop(unit, 0)
                for key in [k for k in counts if k.startswith(unit + "/")]:
                    counts[key] += own
            self._most_common("units", counts)
        return self._majority["units"]

    @property
    def kind_ids(self) -> frozenset[str]:
        """Its kinds of event, by the same rule: one stray post about a fraud at the scenic spot must
        not make the stampede there look like a fraud to every later fraud post."""
        return self._most_common("kinds", self.kinds)

    def vector(self) -> dict[str, float]:
        """Each bigram weighted by its rarity (squared, as for posts) and the share of posts using it."""
        if self._vector is None:
            posts = max(self.posts, 1)
            self._vector = {g: weight(g) ** 2 * n / posts for g, n in sorted(self.grams.items())}
            values = self._vector.values()
            self._sums = (math.sqrt(sum(v * v for v in values)), sum(values))
        return self._vector

    def vector_sums(self) -> tuple[float, float]:
        """The vector's length and the sum of its weights (computed with it, once per change)."""
        self.vector()
        return self._sums

    def _most_common(self, name: str, counts: Counter[str]) -> frozenset[str]:
        if name not in self._majority:  # cached until the next post is added
            top = max(counts.values(), default=0)
            self._majority[name] = frozenset(key for key, n in counts.items() if n * 2 >= top)
        return self._majority[name]

    @classmethod
    def opened_by(cls, incident_id: str, grams: set[str], signal: PostSignal) -> Profile:
        profile = cls(incident_id, set(), Counter(), signal.at, signal.at)
        profile.add(grams, signal)
        return profile

    def add(self, grams: set[str], signal: PostSignal) -> None:
        self.grams.update(sorted(grams))  # most_common breaks ties by insertion order: keep it seed-free
        self.posts += 1
        self.topics |= signal.topics
        self.unit_counts.update(signal.units)
        self.kinds.update(signal.kinds)
        self.anchors |= signal.anchors
        self._changed(signal.at, signal.at)

    def take(self, other: Profile) -> None:
        """Absorb another incident's profile (the two were merged)."""
        self.grams.update(dict(sorted(other.grams.items())))
        self.posts += other.posts
        self.topics |= other.topics
        self.unit_counts.update(other.unit_counts)
        self.kinds.update(other.kinds)
        self.anchors |= other.anchors
        self.authors |= other.authors
        self.titled = self.titled or other.titled
        self._changed(other.first_seen, other.last_seen)

    def _changed(self, first_seen: datetime, last_seen: datetime) -> None:
        if len(self.grams) > PROFILE_SIZE * 2:
            self.grams = Counter(dict(self.grams.most_common(PROFILE_SIZE)))
        if len(self.anchors) > MAX_ANCHORS:
            self.anchors = set(sorted(self.anchors)[:MAX_ANCHORS])
        self._majority.clear()
        self._vector = None
        self.last_seen = max(self.last_seen, last_seen)
        self.first_seen = min(self.first_seen, first_seen)

    def to_json(self) -> dict[str, object]:
        return {
            "topics": sorted(self.topics), "units": dict(self.unit_counts), "posts": self.posts,
            "grams": dict(self.grams.most_common(PROFILE_SIZE)),
            "authors": sorted(self.authors)[:MAX_AUTHORS], "titled": self.titled,
            "anchors": sorted(self.anchors)[:MAX_ANCHORS], "kinds": dict(self.kinds),
        }

    @classmethod
    def from_json(cls, incident_id: str, first_seen: datetime, last_seen: datetime, data: dict[str, object]) -> Profile:
        grams = data.get("grams", {})
        posts = data.get("posts", 0)
        return cls(
            incident_id=incident_id,
            topics=_strings(data.get("topics")),
            unit_counts=_counts(data.get("units")),  # a list in signatures written before unit counts
            first_seen=first_seen,
            last_seen=last_seen,
            grams=_counts(grams),
            posts=posts if isinstance(posts, int) else 0,
            authors=_strings(data.get("authors")),
            anchors=_strings(data.get("anchors")),
            kinds=_counts(data.get("kinds")),
            titled=bool(data.get("titled", False)),
        )


def _strings(value: object) -> set[str]:
    return {str(v) for v in value} if isinstance(value, list) else set()


def _counts(value: object) -> Counter[str]:
    if isinstance(value, dict):
        return Counter({str(k): int(v) for k, v in value.items()})
    return Counter(_strings(value))


@dataclass(frozen=True)
class GroupingConfig:
    window: timedelta = timedelta(hours=72)
    threshold: float | None = None  # None: the link model's own
    joins_only_as_copy: frozenset[str] = frozenset(
        {"drill", "history", "outside_jurisdiction", "hypothetical", "statistics", "fiction", "advert"})
    min_containment: float = 0.0  # required without a shared name or kind; 0 = off (0.05–0.25 cost F1 on every set)
    # Monitoring schemes (taxonomy.yaml) of hazards that cover an area rather than a spot: posts from
    # several towns of one county that share one of them may be one incident (one storm, one page).
    # Not 受灾救灾 (抢险救援, 紧急转移: any emergency's words) nor 本地灾情 (a landslide is at one spot).
    area_kinds: frozenset[str] = frozenset({"洪涝", "暴雨", "台风", "干旱", "雨雪冰冻", "高温"})


_OWNER = "owner:"  # index key prefix: the incidents below one unit


def merge_order(profile: Profile) -> tuple[int, float, str]:
    """Of two incidents merged, the one with fewer posts is absorbed; of equals, the newer."""
    return profile.posts, -profile.first_seen.timestamp(), profile.incident_id


def _owners(units: frozenset[str]) -> frozenset[str]:
    return frozenset(unit_of(u) for u in units)


def nested(a: str, b: str) -> bool:
    """The same unit or place, or a unit and a place below it: a post naming only 青石县 may report
    the landslide in its 石门镇, and a post naming 石门镇 the county's incident there."""
    return a == b or b.startswith(a + "/") or a.startswith(b + "/")


def places_overlap(post_units: frozenset[str], units: frozenset[str]) -> bool:
    return any(nested(a, b) for a in post_units for b in units)


_NEAR_DUPLICATE = FEATURES.index("near_duplicate")
_CONTAINMENT = FEATURES.index("containment")
_SHARED_ANCHOR = FEATURES.index("shared_anchor")
_SHARED_KIND = FEATURES.index("shared_kind")
_KIND_CONFLICT = FEATURES.index("kind_conflict")
_TOPIC_CONFLICT = FEATURES.index("topic_conflict")


@dataclass(frozen=True)
class Match:
    incident_id: str
    score: float  # the link model's probability
    reason: str  # near_duplicate | same_event


@dataclass(frozen=True)
class Merge:
    absorbed: str  # the smaller incident, closed into `into`
    into: str
    score: float  # the merge model's probability


class Grouper:
    def __init__(self, config: GroupingConfig | None = None, model: LinkModel | None = None) -> None:
        self.config = config or GroupingConfig()
        self._model = model
        self.profiles: dict[str, Profile] = {}
        # (last_seen, incident id), one entry per load: forgetting pops the oldest instead of
        # scanning every profile; an entry older than its profile's last_seen is skipped.
        self._by_age: list[tuple[datetime, str]] = []
        # Incidents by unit ("" for those with none), so a post is compared only with incidents its
        # place allows: a province's worth of open incidents stays cheap.
        self._by_unit: dict[str, set[str]] = {}
        self._indexed: dict[str, frozenset[str]] = {}
        self.merged: dict[str, str] = {}  # absorbed incident -> the one it was merged into (training, evaluation)

    @property
    def model(self) -> LinkModel:
        """Loaded on first use, so that training a new model can run the pipeline without one."""
        if self._model is None:
            self._model = load_link_model()
        return self._model

    @property
    def threshold(self) -> float:
        return self.model.threshold if self.config.threshold is None else self.config.threshold

    def load(self, profile: Profile) -> None:
        self._unindex(profile.incident_id)
        self.profiles[profile.incident_id] = profile
        units = profile.unit_ids
        # also under each unit that owns them (_OWNER), where an area-wide hazard's posts look
        keys = frozenset(units | {_OWNER + unit_of(u) for u in units}) if units else frozenset({""})
        for key in keys:
            self._by_unit.setdefault(key, set()).add(profile.incident_id)
        self._indexed[profile.incident_id] = keys
        heapq.heappush(self._by_age, (profile.last_seen, profile.incident_id))

    def absorb(self, incident_id: str, grams: set[str], post: PostSignal) -> Profile:
        """Add a post to an incident's profile (its units may change, so it is indexed again)."""
        profile = self.profiles[incident_id]
        profile.add(grams, post)
        self.load(profile)
        return profile

    def forget(self, incident_id: str) -> None:
        self._unindex(incident_id)
        self.profiles.pop(incident_id, None)  # its _by_age entries are skipped when they come up

    def forget_older_than(self, when: datetime) -> None:
        while self._by_age and self._by_age[0][0] < when:
            _, key = heapq.heappop(self._by_age)
            profile = self.profiles.get(key)
            if profile is None:
                continue
            if profile.last_seen < when:
                self._unindex(key)
                del self.profiles[key]
            else:  # seen again since: look at it again when that sighting grows old
                heapq.heappush(self._by_age, (profile.last_seen, key))
        # what was merged into an incident no longer open is nobody's question any more
        self.merged = {a: b for a, b in self.merged.items() if self.resolve(b) in self.profiles}

    def _unindex(self, incident_id: str) -> None:
        for key in self._indexed.pop(incident_id, ()):
            self._by_unit[key].discard(incident_id)

    def _candidates(self, post: PostSignal) -> list[Profile]:
        return self.near_incidents(post.units, area_wide=bool(post.kinds & self.config.area_kinds))

    def near_incidents(self, units: frozenset[str], area_wide: bool = False) -> list[Profile]:
        """Open incidents whose places could match these units (all of them for a post naming none)."""
        if not units:
            return list(self.profiles.values())
        ids = set(self._by_unit.get("", ()))
        for unit in units:
            ids |= self._by_unit.get(unit, set())
            # the unit's own incidents for a place below it; its places' incidents for the unit alone
            ids |= self._by_unit.get(unit_of(unit), set()) if "/" in unit else self._by_unit.get(_OWNER + unit, set())
        if area_wide:
            for unit in units:
                ids |= self._by_unit.get(_OWNER + unit_of(unit), set())
        return [self.profiles[i] for i in sorted(ids)]  # set order varies between processes

    def allowed(self, post: PostSignal) -> list[Profile]:
        """The open incidents whose place and time allow this post (cheap: most incidents end here)."""
        return [p for p in self._candidates(post) if self.place_and_time_allow(post, p)]

    def matches(self, post: PostSignal) -> list[Match]:
        """Every open incident this post could belong to at the model's threshold, best first."""
        found: list[Match] = []
        for profile in self.allowed(post):
            values = features(post, profile)
            if not self.eligible(post, profile, values):
                continue
            probability = self.model.probability(values)
            if probability >= self.threshold:
                copy = values[_NEAR_DUPLICATE] > 0
                found.append(Match(profile.incident_id, probability, "near_duplicate" if copy else "same_event"))
        return sorted(found, key=lambda m: (-m.score, m.incident_id))

    def eligible(self, post: PostSignal, profile: Profile, values: list[float]) -> bool:
        """The hard rules, before any weighing (see the module docstring)."""
        if not self.place_and_time_allow(post, profile):
            return False
        if values[_NEAR_DUPLICATE] > 0:
            return True
        if post.non_event in self.config.joins_only_as_copy:
            return False
        # Another kind of event and another topic: two hotline complaints from one town on one day
        # (欠薪, 餐饮卫生) share only the hotline's wording. Only a shared name can still tie them.
        if values[_KIND_CONFLICT] > 0 and values[_TOPIC_CONFLICT] > 0 and not values[_SHARED_ANCHOR]:
            return False
        # A kind of event the incident has never shown, another topic, no shared name: an incident
        # opened by posts no monitoring scheme recognised (relabelled mooncakes) is not where a bus
        # crash reported the same day in the same county belongs. (The reverse is common and right:
        # chatter that names no kind of event, about an incident that has one.)
        if post.kinds and not profile.kind_ids and values[_TOPIC_CONFLICT] > 0 and not values[_SHARED_ANCHOR]:
            return False
        # Place and time alone never suffice: in a busy district most posts of a day are about
        # something else. Some text must tie the post to the incident — shared rare words, a
        # shared name, or the same kind of event.
        return (values[_CONTAINMENT] >= self.config.min_containment or values[_SHARED_ANCHOR] > 0
                or values[_SHARED_KIND] > 0)

    def place_and_time_allow(self, post: PostSignal, profile: Profile) -> bool:
        window = self.config.window
        if post.at - profile.last_seen > window or profile.first_seen - post.at > window:
            return False
        # Two fires in two counties (or two towns) the same day are two incidents, however alike the wording.
        units = profile.unit_ids
        if not (post.units and units) or places_overlap(post.units, units):
            return True
        return bool(post.kinds & profile.kind_ids & self.config.area_kinds) and bool(_owners(post.units) & _owners(units))

    def best_match(self, post: PostSignal) -> Match | None:
        found = self.matches(post)
        return found[0] if found else None

    def merge_candidate(self, incident_id: str, fixed: Callable[[str], bool] = lambda _: False) -> Merge | None:
        """The open incident most likely the same event as this one, at or above the merge model's
        threshold; the smaller of the two is the one absorbed. `fixed`: whether staff grouped an
        incident by hand (asked only of incidents that would merge)."""
        merge_model = self.model.merge
        if merge_model is None:
            return None
        best: Merge | None = None
        for small, large in self.merge_pairs(incident_id):
            score = merge_model.probability(merge_features(small, large))
            other = large if small.incident_id == incident_id else small
            if score >= merge_model.threshold and (best is None or score > best.score) and not fixed(other.incident_id):
                best = Merge(small.incident_id, large.incident_id, score)
        return None if best is None or fixed(incident_id) else best

    def merge_pairs(self, incident_id: str) -> Iterator[tuple[Profile, Profile]]:
        """(smaller, larger) for this incident and each other open one the hard rules let it merge with."""
        profile = self.profiles.get(incident_id)
        if profile is None:
            return
        words, kinds = profile.vector().keys(), profile.kind_ids
        for other in self.near_incidents(profile.unit_ids):
            # Place and time alone never merge two incidents, however near: they must share some words
            # or the kind of event (a Cantonese post's incident may share no bigram with a 通报's).
            if other.incident_id == incident_id or not self.may_merge(profile, other) or (
                    words.isdisjoint(other.vector()) and kinds.isdisjoint(other.kind_ids)):
                continue
            small, large = sorted((profile, other), key=merge_order)
            yield small, large

    def may_merge(self, a: Profile, b: Profile) -> bool:
        """The place and time rules, between two incidents: within the window of each other, and
        the same place (or one of them placed nowhere)."""
        window = self.config.window
        if a.first_seen - b.last_seen > window or b.first_seen - a.last_seen > window:
            return False
        units_a, units_b = a.unit_ids, b.unit_ids
        return not (units_a and units_b) or places_overlap(units_a, units_b)

    def merge(self, merge: Merge) -> Profile:
        """Fold the absorbed incident's profile into the other's (the store's merge is the caller's)."""
        into = self.profiles[merge.into]
        into.take(self.profiles[merge.absorbed])
        self.forget(merge.absorbed)
        self.load(into)
        self.merged[merge.absorbed] = merge.into
        return into

    def resolve(self, incident_id: str) -> str:
        """The incident that holds an incident's posts now, after any merges."""
        while incident_id in self.merged:
            incident_id = self.merged[incident_id]
        return incident_id

    def assign(self, post_id: str, grams: set[str], post: PostSignal) -> str | None:
        """Grouping without a store (training, experiments): the same decisions the incidents stage
        makes — join the best match, else open an incident if the post may, else none; then merge
        the incident with any other the merge model takes for the same event. Earlier posts' incidents
        may have been merged since: read them through `resolve`."""
        match = self.best_match(post)
        if match is not None:
            self.absorb(match.incident_id, grams, post)
            incident = match.incident_id
        elif post.on_topic:
            self.load(Profile.opened_by(post_id, grams, post))
            incident = post_id
        else:
            return None
        while (merge := self.merge_candidate(incident)) is not None:
            incident = self.merge(merge).incident_id
        return incident
