"""Grade a post as a 突发事件 (特别重大 … 一般, or none) from the figures it states.

Thresholds live in classify/grading.yaml, each rule with the national standard it comes from.
Flow: extract figures → pick incident types from the topics → for each type, try its levels
from 特别重大 down and take the first rule that holds → keep the most severe type → demote to
none when the post is a rumour, drill, history, hypothetical, statistics or foreign news.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from sentinel.classify.figures import KIND_NAMES_ZH, Evidence, FigureKind, Figures, extract_figures
from sentinel.classify.nonevents import (
    NonEvent,
    SpanSet,
    chronic_nuisance,
    detect_non_event,
    negated_incident_word,
    refuted_claims,
)
from sentinel.classify.numbers import Qualifier, fold, parse_number
from sentinel.domain.codes import Grade, TopicCode

__all__ = [
    "GradeResult",
    "GradingConfig",
    "GradingConfigError",
    "IncidentWord",
    "default_grading_path",
    "grade_text",
    "load_grading_config",
]

ENV_VAR = "SENTINEL_GRADING"
_RELATIVE = Path("classify") / "grading.yaml"
_LEVELS = (Grade.particularly_serious, Grade.serious, Grade.relatively_serious, Grade.general)


class GradingConfigError(ValueError):
    """grading.yaml is missing or invalid; the message names the file and the field."""


def _threshold(value: Any) -> Any:
    # Operators write 1亿 / 5000万 in the YAML; anything that is not one exact number is an error.
    if isinstance(value, str):
        parsed = parse_number(value)
        if parsed is None or parsed.qualifier is not Qualifier.exact:
            raise ValueError(f"not an exact number: {value!r}")
        return parsed.value
    return value


Threshold = Annotated[float, BeforeValidator(_threshold), Field(ge=0)]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class MetricDef(_Strict):
    sum: tuple[FigureKind, ...] | None = None
    max: tuple[FigureKind, ...] | None = None
    label_zh: str | None = None
    # A part counts only where its evidence says one of these words: {sickened: [中毒]} keeps a count of
    # 发病 / 病例 out of the accident scale's 急性工业中毒.
    part_words: dict[FigureKind, tuple[str, ...]] = Field(default_factory=dict)
    # …and only where the post says one of part_context's words: a gas, a plant or its workers for 急性工业中毒, not a
    # school canteen (126个中毒的孩子 of a school's food poisoning is the food-safety scale's).
    part_context: dict[FigureKind, tuple[str, ...]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _one_combiner(self) -> MetricDef:
        if (self.sum is None) == (self.max is None):
            raise ValueError("give exactly one of 'sum' or 'max'")
        stray = [k.value for field in (self.part_words, self.part_context) for k in field if k not in self.parts]
        if stray:
            raise ValueError(f"part_words or part_context names {stray}, which are not parts of this metric")
        return self

    def counts(self, kind: FigureKind, work: str, ev: Evidence) -> bool:
        """Whether a part's evidence counts towards this metric in this (folded) post."""
        if kind in self.part_words and not _says_any(work, ev, self.part_words[kind]):
            return False
        return kind not in self.part_context or any(w in work for w in self.part_context[kind])

    @property
    def parts(self) -> tuple[FigureKind, ...]:
        return self.sum if self.sum is not None else self.max or ()


class Rule(_Strict):
    when: dict[str, Threshold] = Field(default_factory=dict)
    words: tuple[str, ...] = ()
    # A regular expression over the folded text, for what the plans state as a situation rather than
    # a count (县级城市…取水中断); every condition given (when, words, pattern) must hold.
    pattern: str | None = None
    source: str | None = None

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"pattern does not compile: {exc}") from exc
        return value

    @model_validator(mode="after")
    def _not_empty(self) -> Rule:
        if not self.when and not self.words and not self.pattern:
            raise ValueError("a rule needs 'when', 'words' or 'pattern'")
        return self


class IncidentType(_Strict):
    name_zh: str
    source: str
    metrics: dict[str, MetricDef] = Field(default_factory=dict)
    general_if_any: tuple[str, ...] = ()
    incident_words: tuple[str, ...] = Field(min_length=1)
    levels: dict[Grade, tuple[Rule, ...]]
    _word_re: re.Pattern[str] = PrivateAttr()

    @model_validator(mode="after")
    def _known_metrics(self) -> IncidentType:
        if Grade.none in self.levels:
            raise ValueError("levels: 'none' is not a level")
        known = set(self.metrics) | {k.value for k in FigureKind}
        for name in self.general_if_any:
            if name not in known:
                raise ValueError(f"general_if_any: unknown metric {name!r}")
        for level, rules in self.levels.items():
            for i, rule in enumerate(rules):
                for name in rule.when:
                    if name not in known:
                        raise ValueError(f"levels.{level.value}.{i}.when: unknown metric {name!r}")
        return self

    def model_post_init(self, context: Any, /) -> None:
        # Longest first so 交通事故 wins over 事故; words are literals, so the regex is linear.
        words = sorted({w for w in self.incident_words if w}, key=len, reverse=True)
        self._word_re = re.compile("|".join(map(re.escape, words)))

    @property
    def word_re(self) -> re.Pattern[str]:
        return self._word_re


class DefaultByWords(_Strict):
    type: str
    words: tuple[str, ...] = Field(min_length=1)


class GradingConfig(_Strict):
    version: Literal[1]
    default_type: str
    default_type_by_words: tuple[DefaultByWords, ...] = ()
    topic_map: dict[TopicCode, str]
    incident_types: dict[str, IncidentType] = Field(min_length=1)

    @model_validator(mode="after")
    def _types_exist(self) -> GradingConfig:
        if self.default_type not in self.incident_types:
            raise ValueError(f"default_type: unknown incident type {self.default_type!r}")
        for i, rule in enumerate(self.default_type_by_words):
            if rule.type not in self.incident_types:
                raise ValueError(f"default_type_by_words.{i}.type: unknown incident type {rule.type!r}")
        for topic, name in self.topic_map.items():
            if name not in self.incident_types:
                raise ValueError(f"topic_map.{topic.value}: unknown incident type {name!r}")
        return self

    def default_for(self, work: str | None) -> str:
        """The type for a topic with none of its own: by the post's words, else `default_type`."""
        if work:
            for rule in self.default_type_by_words:
                if any(w in work for w in rule.words):
                    return rule.type
        return self.default_type

    def explicit_types(self, topics: Sequence[TopicCode]) -> set[str]:
        """The types the topics name themselves (not reached through a default)."""
        return {self.topic_map[TopicCode(t)] for t in topics if TopicCode(t) in self.topic_map}

    def types_for(self, topics: Sequence[TopicCode], work: str | None = None) -> list[str]:
        """Incident types for the topics; ``work`` (folded text) picks the type of unmapped topics."""
        default = self.default_for(work)
        names = [self.topic_map.get(TopicCode(t), default) for t in topics]
        if self.default_type in names and default != self.default_type:
            # 学校食堂就餐后126名学生出现中毒症状 under work_safety: a meal's poisoning, which the accident rules may not
            # count (part_context), is weighed on its own scale too
            names.append(default)
        return list(dict.fromkeys(names)) or [default]


def _walk_up(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / _RELATIVE
        if candidate.is_file():
            return candidate
    return None


def default_grading_path() -> Path:
    """$SENTINEL_GRADING, else classify/grading.yaml above the working directory or the package."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env)
    found = _walk_up(Path.cwd()) or _walk_up(Path(__file__).resolve().parent)
    if found is None:
        raise GradingConfigError(f"no {_RELATIVE} above {Path.cwd()} or the sentinel package; set {ENV_VAR}")
    return found


@lru_cache(maxsize=8)
def _load(path: Path, _mtime_ns: int) -> GradingConfig:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise GradingConfigError(f"{path}: {exc}") from exc
    try:
        return GradingConfig.model_validate(raw)
    except ValidationError as exc:
        lines = [
            f"  {'.'.join(str(p) for p in err['loc']) or '(top level)'}: {err['msg']}" for err in exc.errors()
        ]
        raise GradingConfigError(f"{path}: invalid grading config\n" + "\n".join(lines)) from exc


_RECHECK_S = 2.0  # how often the file is looked at again: grade_text asks for every post
_checked: dict[str | None, tuple[float, GradingConfig]] = {}


def load_grading_config(path: str | os.PathLike[str] | None = None) -> GradingConfig:
    """Load and validate grading.yaml (cached until the file changes; a change is seen within 2 s)."""
    key = None if path is None else os.fspath(path)
    now = time.monotonic()
    recent = _checked.get(key)
    if recent is not None and now - recent[0] < _RECHECK_S:
        return recent[1]
    p = Path(path) if path is not None else default_grading_path()
    try:
        mtime = p.stat().st_mtime_ns
    except OSError as exc:
        raise GradingConfigError(f"{p}: {exc}") from exc
    config = _load(p.resolve(), mtime)
    _checked[key] = (now, config)
    return config


class IncidentWord(BaseModel):
    model_config = ConfigDict(frozen=True)

    incident_type: str
    start: int
    end: int
    text: str


class GradeResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    grade: Grade
    incident_type: str | None
    figures: Figures
    rule: str | None
    evidence: tuple[Evidence, ...] = ()
    incident_words: tuple[IncidentWord, ...] = ()
    non_event: NonEvent | None = None
    explanation_zh: str
    counted_grade: Grade = Grade.none  # what the figures and words say before the non-event check


class _Outcome(BaseModel):
    grade: Grade
    type_name: str
    rule: str | None = None
    rule_zh: str | None = None
    evidence: tuple[Evidence, ...] = ()
    words: tuple[IncidentWord, ...] = ()


def _metric(itype: IncidentType, name: str, figures: Figures, work: str) -> tuple[float | None, list[Evidence]]:
    definition = itype.metrics.get(name)
    if definition is None:
        kind = FigureKind(name)
        ev = figures.chosen(kind)
        return (ev.grading_value, [ev]) if ev is not None else (None, [])
    present = [
        (ev.grading_value, ev)
        for k in definition.parts
        if (ev := figures.chosen(k)) and definition.counts(k, work, ev)
    ]
    if not present:
        return None, []
    if definition.max is not None:
        best = max(present, key=lambda p: p[0])
        return best[0], [best[1]]
    return sum(v for v, _ in present), [ev for _, ev in present]


_SENTENCE_ENDS = ".;!?。；！？\n"
_CLAUSE_RE = re.compile(r"[^,.;:!?。，；：！？\n]*")


def _says_any(work: str, ev: Evidence, words: tuple[str, ...]) -> bool:
    """Whether one of the words comes before the evidence in its sentence (发生正己烷中毒事件，23名工人出现
    症状) or after it in its clause (23名幼儿中毒); not in a later clause (发病132人，1人因中毒型菌痢死亡)."""
    head = work[max(0, ev.start - 60) : ev.start]
    cut = max(head.rfind(c) for c in _SENTENCE_ENDS)
    tail = _CLAUSE_RE.match(work, ev.start)
    said = head[cut + 1 :] + (tail.group() if tail else "")
    return any(w in said for w in words)


def _label(itype: IncidentType, name: str) -> str:
    definition = itype.metrics.get(name)
    if definition is not None and definition.label_zh:
        return definition.label_zh
    return KIND_NAMES_ZH[FigureKind(name)] if name in FigureKind.__members__ else name


def _amount(value: float, money: bool) -> str:
    unit = "元" if money else "人"
    for size, suffix in ((100_000_000, "亿"), (10_000, "万")):
        if value >= size and value % (size // 100) == 0:
            return f"{value / size:g}{suffix}{unit}"
    return f"{value:g}{unit}"


def _money(name: str, itype: IncidentType) -> bool:
    definition = itype.metrics.get(name)
    parts = definition.parts if definition is not None else (FigureKind(name),)
    return FigureKind.economic_loss in parts


def _try_rule(
    itype: IncidentType, rule: Rule, figures: Figures, work: str
) -> tuple[str, str, list[Evidence]] | None:
    used: list[Evidence] = []
    conds: list[str] = []
    conds_zh: list[str] = []
    for name, minimum in rule.when.items():
        value, evidence = _metric(itype, name, figures, work)
        if value is None or value < minimum:
            return None
        used.extend(evidence)
        money = _money(name, itype)
        shown = _amount(minimum, money) if money else f"{minimum:.0f}"
        conds.append(f"{name} ≥ {shown}")
        conds_zh.append(f"{_label(itype, name)}≥{_amount(minimum, money)}")
    if rule.words:
        # a word denied (全市未发现人感染H5N6禽流感病例), ruled out (排除), asked about or of another province does not fire
        # the rule — unless the post reports a first case (此前从未发现…今天通报的这一例系首例)
        hit = next((w for w in rule.words for m in re.finditer(re.escape(w), work)
                    if _FIRST_CASE_RE.search(work) is not None or not (
                        negated_incident_word(work, m.start(), m.end())
                        or _RULED_OUT_RE.search(work, max(0, m.start() - 12), m.start()) is not None
                        or _ASKED_ABOUT_RE.search(work, m.end(), m.end() + 12) is not None)), None)
        if hit is None:
            return None
        conds.append(f"word {hit}")
        conds_zh.append(f"出现「{hit}」")
    if rule.pattern:
        found = next((m for m in _pattern(rule.pattern).finditer(work)
                      if not negated_incident_word(work, m.start(), m.end()) and not _NEGATION_IN.search(m.group())), None)
        if found is None:
            return None
        conds.append(f"text {found.group()}")
        conds_zh.append(f"「{found.group()}」")
    return " and ".join(conds), "、".join(conds_zh), used


# 城区供水正常，不会停水 / 未造成取水中断: a situation the text denies.
_RULED_OUT_RE = re.compile(r"(?<!不)(?<!不能)(?<!无法)(?<!未)(?<!尚未)(?<!没有)排除"
                           r"|(?:(?:邻|外|他|兄弟)省|境外|国外|邻国|(?:邻|外)(?:市|县))[^。，,]{0,6}?(?:报告|发现|出现|通报)了?")
_ASKED_ABOUT_RE = re.compile(r"[^。!?！？\n]{0,12}?[吗嘛呢？?]|[^。!?！？\n]{0,6}?㗎")
_FIRST_CASE_RE = re.compile(r"首例|这一例|该例|确诊(?:了)?[0-9一二两三]例")
_NEGATION_IN = re.compile(r"(?:不会|不再|不用|未|没有|没|无需|无须|避免|防止|确保不)(?:出现|发生|造成|因此|需要)?")


@lru_cache(maxsize=64)
def _pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _incident_words(name: str, itype: IncidentType, work: str, text: str,
                    refuted: SpanSet | None = None) -> tuple[IncidentWord, ...]:
    return tuple(
        IncidentWord(incident_type=name, start=m.start(), end=m.end(), text=text[m.start() : m.end()])
        for m in itype.word_re.finditer(work)
        if not negated_incident_word(work, m.start(), m.end()) and (refuted is None or m.start() not in refuted)
    )


def _grade_type(
    name: str, itype: IncidentType, figures: Figures, work: str, words: tuple[IncidentWord, ...]
) -> _Outcome:
    for level in _LEVELS:
        for rule in itype.levels.get(level, ()):
            fired = _try_rule(itype, rule, figures, work)
            if fired is not None:
                cond, cond_zh, used = fired
                source = rule.source or itype.source
                return _Outcome(
                    grade=level,
                    type_name=name,
                    rule=f"{cond} → {level.value} ({source})",
                    rule_zh=f"{cond_zh}（{source}）",
                    evidence=tuple(used),
                    words=words,
                )
    positive = [
        ev for metric in itype.general_if_any for ev in _metric(itype, metric, figures, work)[1] if ev.value > 0
    ]
    if positive or words:
        why = f"{positive[0].kind.value} > 0" if positive else f"incident word {words[0].text}"
        why_zh = (
            f"{KIND_NAMES_ZH[positive[0].kind]}未达较大级标准" if positive else f"事件词「{words[0].text}」"
        )
        return _Outcome(
            grade=Grade.general,
            type_name=name,
            rule=f"{why} → general (below every threshold; {itype.source})",
            rule_zh=f"{why_zh}（{itype.source}）",
            evidence=tuple(dict.fromkeys(positive)),
            words=words,
        )
    return _Outcome(grade=Grade.none, type_name=name, words=words)


def _without_money(figures: Figures) -> Figures:
    """A loss amount alone does not make an incident: 诈骗损失9.7亿元, 赔偿损失218万元. Where the type
    comes from the default (the topics name none) and none of its incident words is in the post,
    the amount is not graded."""
    if figures.economic_loss is None:
        return figures
    return figures.model_copy(
        update={
            "economic_loss": None,
            "evidence": tuple(e for e in figures.evidence if e.kind is not FigureKind.economic_loss),
        }
    )


def _figures_zh(figures: Figures) -> str:
    parts = []
    for kind in FigureKind:
        value = figures.get(kind)
        if value is None:
            continue
        amount = _amount(value, kind is FigureKind.economic_loss)
        updated = "(更新)" if kind in figures.updated else ""
        parts.append(f"{KIND_NAMES_ZH[kind]}{amount}{updated}")
    return "、".join(parts)


def _explain(figures: Figures, best: _Outcome, non_event: NonEvent | None) -> str:
    found = _figures_zh(figures)
    head = f"抽取: {found}" if found else "未抽取到伤亡/损失数字"
    if best.grade is Grade.none and not best.words and non_event is None:
        return f"{head} → {Grade.none.zh}"
    if non_event is not None:
        return f"{head}；{non_event.zh}「{non_event.text}」 → {Grade.none.zh}"
    if not found and best.words:
        head = f"{head}；事件词「{best.words[0].text}」"
    basis = f"；依据: {best.rule_zh}" if best.rule_zh else ""
    return f"{head} → {best.grade.zh}{basis}"


_FIRE_OR_BLAST_RE = re.compile(r"起火|着火|火灾|失火|大火|爆炸|爆燃|闪爆|燃爆")


def grade_text(
    text: str,
    topics: Sequence[TopicCode],
    *,
    config: GradingConfig | None = None,
    now: datetime | None = None,
) -> GradeResult:
    """Grade one post. ``now`` (aware) dates "a past year" for the history check."""
    cfg = config if config is not None else load_grading_config()
    work = fold(text)
    figures = extract_figures(text)
    refuted = refuted_claims(work)  # 有人说“燃气爆炸了”…最后查明是轮胎爆了
    words = {name: _incident_words(name, itype, work, text, refuted) for name, itype in cfg.incident_types.items()}
    if words.get("environment") and chronic_nuisance(work) and not any(e.value > 0 for e in figures.evidence if e.counted):
        words["environment"] = ()  # 夏天以来恶臭熏人，多次反映未解决: a complaint, not a 突发环境事件
    explicit = cfg.explicit_types(topics)
    # A loss is weighed on a type's scale where the text names an event of that type; by topic
    # alone only where it names no event at all (a warehouse fire's 3200万 is not a landslide's,
    # though the model also sees a natural-disaster topic in it).
    named = {name for name, found in words.items() if found}
    # 台风夜避风塘着火…直接损失1200万: a fire or a blast on a stormy night is the loss's event, weighed on the accident
    # scale (not 暴雪致仓库倒塌，损失900万 or 山洪冲塌厂房: what the weather destroyed is the disaster's loss).
    money_types = set(named)
    if ("accident" in cfg.explicit_types(topics[:1]) and {"accident", "natural_disaster"} <= named
            and _FIRE_OR_BLAST_RE.search(work) is not None):
        money_types.discard("natural_disaster")
    outcomes = [
        _grade_type(
            name,
            cfg.incident_types[name],
            figures if name in money_types or (name in explicit and not named) else _without_money(figures),
            work,
            words[name],
        )
        for name in cfg.types_for(topics, work)
    ]
    best = max(outcomes, key=lambda o: o.grade.rank)  # max keeps the first (primary) on ties
    # Anchor sentences for the non-event checks: incident words of every type, not just ours.
    anchors = [(w.start, w.end) for found in words.values() for w in found]
    non_event = detect_non_event(text, figures=figures, incident_spans=anchors, now=now)
    graded = best.grade is not Grade.none
    return GradeResult(
        grade=Grade.none if non_event is not None else best.grade,
        incident_type=best.type_name if graded else None,
        figures=figures,
        rule=None if non_event is not None else best.rule,
        evidence=best.evidence,
        incident_words=best.words,
        non_event=non_event,
        explanation_zh=_explain(figures, best, non_event),
        counted_grade=best.grade,
    )
