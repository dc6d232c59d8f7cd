"""Builds the embedded runtime's parts from settings: one place where everything is connected."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sentinel.alerts.engine import ClockEngine, RecipientResolver
from sentinel.alerts.notifiers import build_dispatcher
from sentinel.alerts.notifiers.config import load_channels
from sentinel.alerts.outbox import OutboxDispatcher, OutboxLog, Sender, Undelivered, console_only
from sentinel.alerts.policies import PolicySet, load_policies
from sentinel.alerts.rota import load_oncall
from sentinel.alerts.watchdog import BoundedLog, StoreCalls, Watchdog
from sentinel.alerts.workdays import WorkdayCalendar
from sentinel.classify.ensemble_model import build_ensemble
from sentinel.classify.keywords import SchemeSet
from sentinel.classify.stage import Classifier, ClassifyStage
from sentinel.classify.taxonomy import Taxonomy, load_taxonomy
from sentinel.domain.alerting import Notification, Recipient
from sentinel.domain.codes import TopicCode
from sentinel.domain.incident import Incident
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


def build_classifier(settings: Settings, taxonomy: Taxonomy | None = None) -> Classifier:
    taxonomy = taxonomy or load_taxonomy(settings.config_dir / "classify" / "taxonomy.yaml")
    return build_ensemble(settings, taxonomy)


def build_services(settings: Settings, clock: Clock | None = None, store: SQLiteStore | None = None,
                   classifier: Classifier | None = None) -> Services:
    """`classifier`: one already built (simulate brings its own), else the configured ensemble."""
    clock = clock or SystemClock()
    store = store or open_store(settings)
    config = settings.config_dir
    taxonomy = load_taxonomy(config / "classify" / "taxonomy.yaml")
    policies = load_policies(settings.policies_file or config / "alerts" / "policies.yaml")
    ownership = Ownership.load(config / "alerts" / "units.yaml")
    normaliser = normaliser_for(settings, clock)
    wake = threading.Event()
    ingest = IngestService(store, normaliser, settings.duplicate_window_hours, on_stored=wake.set)
    classifier = classifier or build_classifier(settings, taxonomy)
    workdays = _workdays(config)
    engine = ClockEngine(store, policies, clock, workdays=workdays, link_base=settings.base_url,
                         late_grace=timedelta(seconds=settings.late_grace_seconds),
                         recipients=_recipients(config / "alerts" / "rota.yaml", policies, ownership, workdays, clock))

    def lead_departments(code: TopicCode) -> tuple[str, ...]:
        return tuple(taxonomy.topic(code).lead_departments)

    incidents = IncidentStage(store, engine, ownership, lead_departments, clock,
                              schemes=SchemeSet.from_taxonomy(taxonomy))
    health = Health()
    sender = build_sender(config / "alerts" / "channels.yaml", clock, OutboxLog(store, clock))
    outbox = OutboxDispatcher(store, clock, sender)
    pipeline = Pipeline(store, ClassifyStage(store, classifier), incidents, engine, outbox, clock, health)
    return Services(settings, clock, store, taxonomy, policies, ownership, normaliser, ingest, classifier,
                    engine, pipeline, health, wake)


class _OutboxInbox:
    """The console channel: the outbox table already is the console's inbox, so nothing to add."""

    def add(self, notification: Notification) -> None:
        return None


def build_sender(channels_path: Path, clock: Clock, log: OutboxLog | BoundedLog | None = None) -> Sender:
    """Channels from alerts/channels.yaml; without it the console inbox (the outbox table) is the only channel.

    `log` keeps what each notification's channels delivered and the failure list in the store, so
    a retry sends only what is missing, also after a restart; without it they are kept in memory."""
    if not channels_path.exists():
        return console_only
    dispatcher = build_dispatcher(load_channels(channels_path), _OutboxInbox(), clock=clock,
                                  failures=log, ledger=log)

    def send(notification: Notification, now: datetime) -> Undelivered | None:
        report = dispatcher.dispatch(notification)
        if report.all_delivered:
            return None
        return Undelivered(report.undelivered(), permanent=not report.retryable)

    return send


def build_watchdog(services: Services, clock: Clock) -> Watchdog:
    """The stall alarm goes straight through the channels and into the outbox (the console's inbox).

    Its channels are its own, their ledger written through bounded store calls: the outbox's
    sender would wait for ever on a store that a stuck writer holds."""
    calls = StoreCalls()
    log = BoundedLog(OutboxLog(services.store, clock), calls)
    sender = build_sender(services.settings.config_dir / "alerts" / "channels.yaml", clock, log)
    return Watchdog(services.health, sender, clock, store=services.store, store_calls=calls)


def _recipients(
    rota_path: Path, policies: PolicySet, ownership: Ownership, workdays: WorkdayCalendar, clock: Clock
) -> RecipientResolver | None:
    """People on duty from alerts/rota.yaml; without it, notifications name the roles (值班员 …)."""
    if not rota_path.exists():
        return None
    oncall = load_oncall(rota_path, ownership, workdays, policies.roles)
    unit_by_name = {u.name: u.id for u in ownership.units.values()}

    def resolve(roles: tuple[str, ...], incident: Incident) -> tuple[Recipient, ...]:
        unit = unit_by_name.get(incident.owner_unit or "")
        return oncall.recipients(roles, unit, clock.now(), policies.roles)

    return resolve


def _workdays(config: Path) -> WorkdayCalendar:
    holidays = config / "alerts" / "holidays.yaml"
    return WorkdayCalendar.from_file(holidays) if holidays.exists() else WorkdayCalendar()
