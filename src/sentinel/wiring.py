"""Builds the embedded runtime's parts from settings: one place where everything is connected."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from sentinel.alerts.engine import ClockEngine
from sentinel.alerts.outbox import OutboxDispatcher
from sentinel.alerts.policies import PolicySet, load_policies
from sentinel.classify.ensemble import build_classifier
from sentinel.classify.stage import Classifier, ClassifyStage
from sentinel.classify.taxonomy import Taxonomy, load_taxonomy
from sentinel.domain.codes import TopicCode
from sentinel.domain.timeutil import Clock, SystemClock
from sentinel.health import Health
from sentinel.incidents.ownership import Ownership
from sentinel.incidents.stage import IncidentStage
from sentinel.ingest.normalize import NormaliseConfig, Normaliser
from sentinel.ingest.service import IngestService
from sentinel.pipeline import Pipeline
from sentinel.settings import Settings
from sentinel.store.sqlite import SQLiteStore


@dataclass
class Services:
    settings: Settings
    clock: Clock
    store: SQLiteStore
    taxonomy: Taxonomy
    policies: PolicySet
    ownership: Ownership
    normaliser: Normaliser
    ingest: IngestService
    classifier: Classifier
    engine: ClockEngine
    pipeline: Pipeline
    health: Health
    wake: threading.Event = field(default_factory=threading.Event)

    def config_path(self, *parts: str) -> Path:
        return self.settings.config_dir.joinpath(*parts)


def open_store(settings: Settings) -> SQLiteStore:
    return SQLiteStore(settings.db_path, synchronous=settings.sqlite_synchronous)


def normaliser_for(settings: Settings, clock: Clock) -> Normaliser:
    return Normaliser(clock, NormaliseConfig(
        max_text_chars=settings.max_text_chars,
        analysis_head_chars=settings.analysis_head_chars,
        analysis_tail_chars=settings.analysis_tail_chars,
        future_tolerance=timedelta(minutes=settings.future_tolerance_minutes),
        reject_raw_bytes=settings.reject_raw_bytes,
    ))


def build_services(settings: Settings, clock: Clock | None = None, store: SQLiteStore | None = None) -> Services:
    clock = clock or SystemClock()
    store = store or open_store(settings)
    config = settings.config_dir
    taxonomy = load_taxonomy(config / "classify" / "taxonomy.yaml")
    policies = load_policies(config / "alerts" / "policies.yaml")
    ownership = Ownership.load(config / "alerts" / "units.yaml")
    normaliser = normaliser_for(settings, clock)
    wake = threading.Event()
    ingest = IngestService(store, normaliser, settings.duplicate_window_hours, on_stored=wake.set)
    classifier = build_classifier(settings, taxonomy)
    engine = ClockEngine(store, policies, clock, workdays=_workdays(config), link_base=settings.base_url)

    def lead_departments(code: TopicCode) -> tuple[str, ...]:
        return tuple(taxonomy.topic(code).lead_departments)

    incidents = IncidentStage(store, engine, ownership, lead_departments, clock)
    health = Health()
    pipeline = Pipeline(store, ClassifyStage(store, classifier), incidents, engine,
                        OutboxDispatcher(store, clock), clock, health)
    return Services(settings, clock, store, taxonomy, policies, ownership, normaliser, ingest, classifier,
                    engine, pipeline, health, wake)


def _workdays(config: Path) -> object:
    from sentinel.alerts.workdays import WorkdayCalendar

    holidays = config / "alerts" / "holidays.yaml"
    return WorkdayCalendar.from_file(holidays) if holidays.exists() else WorkdayCalendar()
