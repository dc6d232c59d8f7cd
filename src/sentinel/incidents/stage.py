"""The incidents stage: attach each classified post to an incident or open one, then let the clock
engine start or cancel the response clocks the incident now requires — all in one transaction with
the stage cursor, so a crash replays the batch instead of losing or doubling it."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import sqlite3
from collections.abc import Callable
from contextlib import nullcontext
from datetime import datetime, timedelta

from sentinel.alerts.engine import ClockEngine
from sentinel.classify.keywords import SchemeSet
from sentinel.domain.audit import AuditEvent
from sentinel.domain.classification import Classification
from sentinel.domain.codes import Grade, Sentiment, TopicCode
from sentinel.domain.incident import Heat, Incident, IncidentStatus
from sentinel.domain.post import Post, Reject
from sentinel.domain.timeutil import Clock, to_shanghai
from sentinel.incidents.grouping import Grouper, GroupingConfig, Profile, anchors, bigrams, weighted
from sentinel.incidents.linker import PostSignal
from sentinel.incidents.ownership import Ownership, unit_of
from sentinel.store.sqlite import SQLiteStore

STAGE = "incidents"
log = logging.getLogger(__name__)
TITLED_SOURCES = ("gov_site", "news", "wechat")
PRUNE_EVERY = timedelta(minutes=10)
MAX_LOCAL_UNITS = 2  # "从河西到城关" is local to both; a post naming three or more districts is not local
LeadDepartments = Callable[[TopicCode], tuple[str, ...]]


def incident_id_for(post: Post) -> str:
    """Deterministic from the opening post, so a replayed batch reopens the same incident."""
    day = to_shanghai(post.effective_at).strftime("%Y%m%d")
    return f"INC-{day}-{hashlib.blake2b(post.id.encode(), digest_size=4).hexdigest()}"


def opens_incident(c: Classification) -> bool:
    """Any on-topic post starts an incident (政务舆情 as well as emergencies); only emergencies,
    staff decisions and heat start response clocks. Noise (`other`) never does, nor a non-event
    (a drill, a retrospective, a refuted rumour): they may join an incident, never found one —
    else the real explosion at the park where a drill was announced would join the drill."""
    return c.primary_topic != TopicCode.other and c.non_event is None


class IncidentStage:
    def __init__(
        self,
        store: SQLiteStore,
        engine: ClockEngine,
        ownership: Ownership,
        lead_departments: LeadDepartments,
        clock: Clock,
        config: GroupingConfig | None = None,
        schemes: SchemeSet | None = None,  # the taxonomy's monitoring schemes: what kind of event a post reports
    ) -> None:
        self.schemes = schemes
        self.store = store
        self.engine = engine
        self.ownership = ownership
        self.lead_departments = lead_departments
        self.clock = clock
        self.grouper = Grouper(config)
        self._warm = False
        self._pruned_at: datetime | None = None
        self._changes_seen = 0  # the last staff change to grouping (store.regroup) applied here

    def warm_up(self, now: datetime | None = None) -> None:
        """Rebuild grouping state from the store (after a restart, or on a replacement worker)."""
        now = now or self.clock.now()
        self.grouper = Grouper(self.grouper.config)
        self._changes_seen = self.store.last_regroup()  # read first: a change made meanwhile is applied again later
        for incident, signature in self.store.incidents_seen_since(now - self.grouper.config.window * 2):
            self.grouper.load(self._profile(incident, signature))
        self._warm = True

    def _profile(self, incident: Incident, signature: str, conn: sqlite3.Connection | None = None) -> Profile:
        if signature:
            return Profile.from_json(incident.id, incident.first_seen, incident.last_seen, json.loads(signature))
        return self._rebuild(incident, conn)  # after a staff merge or split (actions.py), or never saved

    def _apply_changes(self, conn: sqlite3.Connection) -> None:
        """Reload the incidents staff actions changed since the last pass: a closed one takes no more
        posts, a reopened one takes them again, a merged or split one is rebuilt from its posts.
        Called inside the batch's write transaction, so no staff action lands between this and the
        batch's grouping decisions."""
        changes = self.store.regroup_after(self._changes_seen)
        if not changes:
            return
        since = self.clock.now() - self.grouper.config.window * 2
        for incident_id in dict.fromkeys(incident_id for _, incident_id in changes):
            self.grouper.forget(incident_id)
            incident = self.store.get_incident(incident_id)
            if incident is not None and incident.status != IncidentStatus.closed and incident.last_seen >= since:
                self.grouper.load(self._profile(incident, self.store.incident_signature(incident_id), conn))
        self._changes_seen = changes[-1][0]

    def _rebuild(self, incident: Incident, conn: sqlite3.Connection | None = None) -> Profile:
        """An incident's grouping profile from the posts it holds, saved as its signature (in the
        transaction `conn` when one is open)."""
        profile: Profile | None = None
        for post, c in self.store.classified_posts_of(incident.id):
            grams, signal, _ = self.signal(post, c)
            if profile is None:
                profile = Profile.opened_by(incident.id, grams, signal)
            else:
                profile.add(grams, signal)
            profile.authors.add(post.author or post.source)
            profile.titled = profile.titled or bool(post.title and post.source in TITLED_SOURCES)
        if profile is None:
            return Profile.from_json(incident.id, incident.first_seen, incident.last_seen, {})
        with nullcontext(conn) if conn is not None else self.store.tx() as write:
            write.execute("UPDATE incidents SET signature=? WHERE id=? AND signature=''",
                          (json.dumps(profile.to_json(), ensure_ascii=False), incident.id))
        return profile

    def run_once(self, limit: int = 200) -> int:
        if not self._warm:
            self.warm_up()
        batch = self.store.classified_after(self.store.cursor(STAGE), limit)
        if not batch:
            return 0
        self._forget_stale()
        try:
            with self.store.tx() as conn:
                self._apply_changes(conn)
                for post, classification in batch:
                    self.process(conn, post, classification)
                    assert post.seq is not None  # noqa: S101 - stored posts always have one
                    self.store.set_cursor(conn, STAGE, post.seq)
        except sqlite3.OperationalError:
            # The store is locked or failing, not the posts: none is skipped; the whole batch is
            # tried again on the next pass (the pipeline shows the error in /readyz meanwhile).
            self._warm = False  # in-memory profiles may be ahead of the rolled-back store
            raise
        except Exception:  # noqa: BLE001 - retried one post at a time below
            log.exception("incident batch failed; retrying post by post")
            self.warm_up()  # in-memory profiles may be ahead of the rolled-back store
            for post, classification in batch:
                self._one(post, classification)
        return len(batch)

    def _forget_stale(self) -> None:
        """Drop profiles warm_up would not load either: comparing each post with every incident
        ever opened would make grouping slower by the day."""
        now = self.clock.now()
        if self._pruned_at is None or now - self._pruned_at >= PRUNE_EVERY:
            self.grouper.forget_older_than(now - self.grouper.config.window * 2)
            self._pruned_at = now

    def _one(self, post: Post, classification: Classification) -> None:
        """A post that fails on its own is kept as a reject with the reason, never silently skipped."""
        assert post.seq is not None  # noqa: S101 - stored posts always have one
        try:
            with self.store.tx() as conn:
                self._apply_changes(conn)
                self.process(conn, post, classification)
                self.store.set_cursor(conn, STAGE, post.seq)
        except sqlite3.OperationalError:
            self._warm = False
            raise  # a locked store is no fault of this post: it is tried again, never filed as a reject
        except Exception as exc:  # noqa: BLE001 - one bad post must not stop the incidents behind it
            log.exception("incident stage failed on %s", post.id)
            self.warm_up()
            self.store.add_rejects([Reject(at=self.clock.now(), source=f"incidents:{post.id}", post_id=post.id,
                                           reason=f"incident_stage_failed: {type(exc).__name__}: {exc}"[:500],
                                           raw=post.text[:2000])])
            with self.store.tx() as conn:
                self.store.set_cursor(conn, STAGE, post.seq)

    def signal(self, post: Post, c: Classification) -> tuple[set[str], PostSignal, list[str]]:
        """The post's bigrams, what grouping weighs, and every unit it names (for ownership)."""
        # Place words blanked for anchors too: "松铁街道" inside the county name "溪水松铁街道" is
        # no specific place, and would tie together any two posts of that county.
        blanked = self.ownership.without_local_words(post.text_norm)
        grams = bigrams(blanked)
        named = self.ownership.regions_in(post.text_norm)
        region_unit = self.ownership.unit_for_region(post.region)
        if region_unit:
            named.append(region_unit)
        # Only the most specific places count for telling events apart: "清江" is named in posts
        # about every district, so it must not make a 新港 and a 青石 incident look alike.
        specific = self.ownership.most_specific(named, drop_root=True)
        units = self.ownership.local_units(specific, self.ownership.places_in(post.text_norm))
        if len(units) > MAX_LOCAL_UNITS:
            units = frozenset()  # a city-wide document or a round-up naming many districts is about none of them
        signal = PostSignal(
            weights=weighted(grams),
            units=units,
            anchors=frozenset(anchors(blanked, self.ownership.local_words)),
            kinds=frozenset(hit.scheme for hit in self.schemes.match(post.text_norm)) if self.schemes else frozenset(),
            topics=frozenset(t.code.value for t in c.topics if t.code != TopicCode.other),
            at=post.effective_at,
            on_topic=opens_incident(c),
            official=bool(post.title) or post.source in TITLED_SOURCES,
            non_event=c.non_event,
        )
        return grams, signal, named

    def process(self, conn: sqlite3.Connection, post: Post, c: Classification) -> str | None:
        grams, signal, named = self.signal(post, c)
        match = self.grouper.best_match(signal)
        if match is not None:
            incident = self.store.load_incident(conn, match.incident_id)
            if incident is None:
                return None
            if incident.status == IncidentStatus.closed:  # closed since its profile was read (run_once rereads first)
                self.grouper.forget(incident.id)
                return self.process(conn, post, c)
            profile = self.grouper.absorb(match.incident_id, grams, signal)
            previous_start = incident.clock_start
            incident = self._absorb(conn, incident, profile, post, c, signal)
        elif signal.on_topic:
            previous_start = None
            incident, profile = self._open(post, c, grams, signal, named)
            self.grouper.load(profile)
        else:
            return None
        self.store.save_incident(conn, incident, json.dumps(profile.to_json(), ensure_ascii=False))
        self.store.attach_post(conn, post.id, incident.id)
        if profile.posts == 1:
            self.store.add_audit(conn, AuditEvent(
                at=self.clock.now(), actor="system", action="incident_opened", incident_id=incident.id,
                details={"post_id": post.id, "grade": incident.grade.value},
            ))
        if previous_start is not None and incident.clock_start < previous_start:
            # A late post shows the event began earlier: deadlines count from the event.
            self.engine.restart_clocks(conn, incident, "system")
        else:
            self.engine.sync_incident(conn, incident)
        return self._merge_fragments(conn, incident.id)

    def _merge_fragments(self, conn: sqlite3.Connection, incident_id: str) -> str:
        """Merge the incident with any other the merge model takes for the same event, as staff
        would (clocks from the earlier start, releases carried over), audited as the system's.
        Returns the incident that holds the post now."""
        from sentinel.incidents.actions import ActionError, IncidentActions  # actions imports this module

        actions = IncidentActions(self.store, self.engine, self.ownership, self.clock)
        while (merge := self.grouper.merge_candidate(incident_id, lambda i: _grouped_by_hand(conn, i))) is not None:
            try:
                merged = actions.apply_in(conn, merge.into, "merge", "system", other=merge.absorbed,
                                          why={"by": "grouping", "score": round(merge.score, 3)})
            except ActionError:  # one of them closed or merged by staff since its profile was read
                log.warning("grouping could not merge %s into %s", merge.absorbed, merge.into, exc_info=True)
                gone = [i for i in (merge.absorbed, merge.into) if not self._open_in_store(conn, i)]
                for stale in gone:
                    self.grouper.forget(stale)
                if not gone or incident_id in gone:
                    break
                continue
            profile = self.grouper.merge(merge)
            # The merge dropped the profile to be rebuilt from the posts; the one in memory is that already.
            self.store.save_incident(conn, merged, json.dumps(profile.to_json(), ensure_ascii=False))
            incident_id = merge.into
        return incident_id

    def _open_in_store(self, conn: sqlite3.Connection, incident_id: str) -> bool:
        incident = self.store.load_incident(conn, incident_id)
        return incident is not None and incident.status != IncidentStatus.closed and not incident.merged_into

    def open_for_post(self, post_id: str, actor: str) -> Incident:
        """Staff open an incident for a post grouping left alone (classified 其他, a 依申请公开 request
        in a hotline record …) to track it, its windows and its actions. Raises LookupError for an
        unknown post, ValueError when the post cannot be given one."""
        stored = self.store.get_post(post_id)
        if stored is None:
            raise LookupError(f"no such post: {post_id}")
        if stored.incident_id:
            raise ValueError(f"post {post_id} already belongs to {stored.incident_id}")
        post, c = stored.post, stored.classification
        if c is None or post.seq is None or self.store.cursor(STAGE) < post.seq:
            raise ValueError(f"post {post_id} is still being processed; try again shortly")
        grams, signal, named = self.signal(post, c)
        incident, profile = self._open(post, c, grams, signal, named)
        with self.store.tx() as conn:
            if self.store.load_incident(conn, incident.id) is not None:
                raise ValueError(f"incident {incident.id} exists already")
            self.store.save_incident(conn, incident, json.dumps(profile.to_json(), ensure_ascii=False))
            self.store.attach_post(conn, post.id, incident.id)
            self.store.add_audit(conn, AuditEvent(at=self.clock.now(), actor=actor, action="incident_opened",
                                                  incident_id=incident.id, details={"post_id": post.id, "by": "staff"}))
            self.engine.sync_incident(conn, incident, actor)
            # The pipeline's own grouper loads it (as after a merge): later posts can join this incident.
            self.store.regroup(conn, incident.id)
        return incident

    # -- building and updating incidents ---------------------------------------------------------
    def _open(
        self, post: Post, c: Classification, grams: set[str], signal: PostSignal, named: list[str]
    ) -> tuple[Incident, Profile]:
        incident_id = incident_id_for(post)
        profile = Profile.opened_by(incident_id, grams, signal)
        units = signal.units
        profile.authors.add(post.author or post.source)
        profile.titled = bool(post.title and post.source in TITLED_SOURCES)
        # Only the city named (or nothing): the city owns it until a post names a district.
        owner = self.ownership.owner(sorted({unit_of(u) for u in units}) or named)
        incident = Incident(
            id=incident_id,
            title=title_of(post),
            topics=tuple(t.code for t in c.topics),
            grade=c.grade,
            grade_evidence=c.explanation_zh,
            region=owner.regions[0] if owner and owner.regions else post.region,
            owner_unit=owner.name if owner else None,
            lead_departments=self.lead_departments(c.primary_topic),
            first_seen=post.effective_at,
            last_seen=post.effective_at,
            heat=_heat(Heat(), post, authors_seen=False),
            sentiment_negative=1.0 if c.sentiment == Sentiment.negative else 0.0,
            rumour=c.non_event == "rumour_refuted",
            representative_post_id=post.id,
        )
        return self._needs_response(incident), profile

    def _absorb(
        self, conn: sqlite3.Connection, incident: Incident, profile: Profile, post: Post, c: Classification,
        signal: PostSignal,
    ) -> Incident:
        """The incident updated with a post its profile has just absorbed."""
        units = signal.units
        heat = _heat(incident.heat, post, authors_seen=_author_seen(profile, post))
        update: dict[str, object] = {
            "first_seen": min(incident.first_seen, post.effective_at),
            "last_seen": max(incident.last_seen, post.effective_at),
            "heat": heat.model_copy(update={"posts_last_hour": self._posts_in_last_hour(conn, incident, post)}),
            "rumour": incident.rumour or c.non_event == "rumour_refuted",
            "version": incident.version + 1,
        }
        posts = incident.heat.posts + 1
        negative = incident.sentiment_negative * incident.heat.posts + (1.0 if c.sentiment == Sentiment.negative else 0.0)
        update["sentiment_negative"] = round(negative / posts, 3)
        digest = is_digest(post.text)  # its figures and title belong to several events, not to this one
        if (incident.grade_source != "staff" and c.non_event is None and c.grade.rank > incident.grade.rank
                and not digest):
            update["grade"] = c.grade
            update["grade_evidence"] = c.explanation_zh
        if post.title and post.source in TITLED_SOURCES and not profile.titled and not digest:
            profile.titled = True
            update["title"] = title_of(post)
            update["representative_post_id"] = post.id
        # Ownership is settled by the first post that names a district or county; later posts
        # (commentary naming several places) do not move it. A city-owned incident moves down
        # when a post names exactly one place below the city and no post has named another (one
        # spanning two districts stays with the city). Staff can always reassign, and what they
        # assigned stays.
        if len(units) == 1 and incident.owner_unit in (None, *self.ownership.root_names) and (
            {unit_of(u) for u in profile.unit_counts} <= {unit_of(u) for u in units}
        ) and not _assigned_by_staff(conn, incident.id):
            owner = self.ownership.units[unit_of(next(iter(units)))]
            update["owner_unit"] = owner.name
            update["region"] = owner.regions[0] if owner.regions else incident.region
        return self._needs_response(incident.model_copy(update=update))

    @staticmethod
    def _posts_in_last_hour(conn: sqlite3.Connection, incident: Incident, post: Post) -> int:
        """Posts in the hour up to the incident's latest post, this one included (heat's pace)."""
        latest = max(incident.last_seen, post.effective_at)
        since = latest - timedelta(hours=1)
        row = conn.execute(
            "SELECT count(*) FROM posts WHERE incident_id=? AND effective_at > ? AND effective_at <= ?",
            (incident.id, since.timestamp(), latest.timestamp()),
        ).fetchone()
        return int(row[0]) + (1 if post.effective_at > since else 0)

    def _needs_response(self, incident: Incident) -> Incident:
        needs = incident.needs_response or incident.grade in (Grade.relatively_serious, Grade.general) or (
            incident.heat.score >= self.engine.policies.heat_threshold
        )
        return incident if needs == incident.needs_response else incident.model_copy(update={"needs_response": needs})


_SPLIT_PART = re.compile(r"-S\d+$")


def _grouped_by_hand(conn: sqlite3.Connection, incident_id: str) -> bool:
    """Staff split it, merged into it, split it off or set its grade: grouping never merges it again."""
    if _SPLIT_PART.search(incident_id):
        return True
    return conn.execute(
        "SELECT 1 FROM audit WHERE incident_id=? AND actor<>'system' AND action IN ('split','merge','set_grade') LIMIT 1",
        (incident_id,)).fetchone() is not None


def _assigned_by_staff(conn: sqlite3.Connection, incident_id: str) -> bool:
    return conn.execute("SELECT 1 FROM audit WHERE incident_id=? AND action='assign_unit' LIMIT 1",
                        (incident_id,)).fetchone() is not None


def title_of(post: Post) -> str:
    if post.title:
        return _TAG.sub("", post.title).strip()[:80] or post.title.strip()[:80]  # titles arrive with <b>…</b>
    text = post.text_norm.replace("\n", " ")
    for stop in ("。", "！", "？", "!", "?"):
        head, sep, _ = text.partition(stop)
        if sep and 8 <= len(head) <= 60:
            return head
    return text[:40] + ("…" if len(text) > 40 else "")


_TAG = re.compile(r"<[^>]{0,200}>")


def _author_seen(profile: Profile, post: Post) -> bool:
    key = post.author or post.source
    seen = key in profile.authors
    profile.authors.add(key)
    return seen


def heat_of(posts: list[Post]) -> Heat:
    """Heat counted afresh from an incident's posts (after staff merge or split it)."""
    heat, authors = Heat(), set()
    for post in posts:
        key = post.author or post.source
        heat = _heat(heat, post, authors_seen=key in authors)
        authors.add(key)
    if posts:
        latest = max(p.effective_at for p in posts)
        heat = heat.model_copy(update={"posts_last_hour": sum(1 for p in posts if latest - p.effective_at < timedelta(hours=1))})
    return heat


def _heat(heat: Heat, post: Post, authors_seen: bool) -> Heat:
    m = post.metrics
    return Heat(
        posts=heat.posts + 1,
        authors=heat.authors + (0 if authors_seen else 1),
        reposts=heat.reposts + m.reposts,
        comments=heat.comments + m.comments,
        likes=heat.likes + m.likes,
        posts_last_hour=heat.posts_last_hour,  # set by the caller, which can count the incident's posts
    )


_SECTION_RE = re.compile(r"(?:^|\n)\s*【[^】\n]{1,8}】")


def is_digest(text: str) -> bool:
    """A news roundup (清江早知道：【天气】…【要闻】…【民生】…) tells several events at once: it may join
    one of them, but its toll and its title are not that incident's."""
    return len(_SECTION_RE.findall(text)) >= 3
