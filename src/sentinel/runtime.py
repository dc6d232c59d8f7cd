"""`sentinel run`: every stage in one process over the SQLite store, plus the API and console.

Threads: the pipeline loop, one per configured source, the demo replay; uvicorn serves the API in
the main thread and turns SIGINT/SIGTERM into a clean shutdown, after which the threads stop.
Everything they did is committed as it happens, so a restart (or a kill -9) resumes from the store.
"""

from __future__ import annotations

import fcntl
import logging
import os
import signal
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn

from sentinel.api.app import create_app
from sentinel.api.auth import ensure_token
from sentinel.domain.timeutil import Clock, SystemClock
from sentinel.ingest.demo import DemoReplay, demo_clock
from sentinel.ingest.follow import SourceRunner
from sentinel.ingest.sources import FeedSource, FileSource, FolderSource, load_sources
from sentinel.settings import Settings
from sentinel.wiring import Services, build_services, build_watchdog, open_store

log = logging.getLogger(__name__)
PIPELINE_LOCK_FILE = "pipeline.lock"


class PipelineBusy(RuntimeError):
    """Another process already runs the pipeline on this data directory."""


@contextmanager
def pipeline_lock(data_dir: Path) -> Iterator[bool]:
    """Yields True while this process is the data directory's only pipeline runner, else False at once.

    Grouping keeps its working state in the runner's memory, so two runners on one store would
    split and duplicate incidents. The lock is an flock: the kernel drops it when the holder exits,
    even on kill -9, and taking it never waits.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    with (data_dir / PIPELINE_LOCK_FILE).open("a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            handle.truncate(0)
            handle.write(f"{os.getpid()}\n")  # for people looking at who holds it
            handle.flush()
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def demo_path(settings: Settings) -> Path:
    return settings.config_dir / "ingest" / "samples" / "demo.jsonl"


def start_services(settings: Settings, demo: bool) -> tuple[Services, DemoReplay | None]:
    store = open_store(settings)
    clock: Clock = SystemClock()
    replay = None
    if demo:
        clock = demo_clock(store, demo_path(settings), settings.demo_speed)
    services = build_services(settings, clock, store)
    if demo:
        replay = DemoReplay(demo_path(settings), services.ingest, store, clock)  # type: ignore[arg-type]
    return services, replay


def run(settings: Settings, demo: bool, say: Callable[[str], None] = print) -> None:
    with pipeline_lock(settings.data_dir) as held:
        if not held:
            raise PipelineBusy(f"数据目录 {settings.data_dir.resolve()} 已有进程在处理（另一个 sentinel run，"
                               "或正在处理的 ingest --process）/ another process runs the pipeline on this data directory")
        _run_locked(settings, demo, say)


class PortBusy(RuntimeError):
    """The API's address is taken (another server, an earlier Sentinel still running)."""


def _check_port(host: str, port: int) -> None:
    """Before anything starts or is announced: uvicorn would fail only after the threads run."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise PortBusy(f"无法监听 {host}:{port}（{exc.strerror}）：端口已被占用？可用 --port 换一个 / "
                           f"cannot listen on {host}:{port}") from exc


def _run_locked(settings: Settings, demo: bool, say: Callable[[str], None]) -> None:
    _check_port(settings.host, settings.port)
    services, replay = start_services(settings, demo)
    token = ensure_token(services.store, settings.api_token.get_secret_value() if settings.api_token else None)
    if token:
        say(f"API 写入令牌（只显示这一次，请妥善保存）/ API write token (shown once): {token}")
    stop = threading.Event()
    services.pipeline.inline_outbox = False
    # The outbox thread polls the outbox every OutboxDispatcher.poll_s (0.5 s) and sends new rows at
    # once; failing rows back off per row in a lane of their own (see alerts/outbox.py). Setting
    # `outbox_wake` skips the rest of a poll interval.
    outbox_wake = threading.Event()
    threads = [
        threading.Thread(target=services.pipeline.run, args=(stop, services.wake), name="pipeline", daemon=True),
        threading.Thread(target=services.pipeline.outbox.run, args=(stop, outbox_wake), name="outbox", daemon=True),
    ]
    if replay is not None:
        threads.append(threading.Thread(target=replay.run, args=(stop,), name="demo", daemon=True))
    threads += _source_threads(services, stop)
    watchdog = build_watchdog(services, SystemClock())
    threads.append(threading.Thread(target=watchdog.run, args=(stop,), name="watchdog", daemon=True))
    for thread in threads:
        thread.start()
    say(f"Sentinel 已启动：控制台 http://{settings.host}:{settings.port}/  ·  API 文档 /docs  ·  数据目录 {settings.data_dir.resolve()}")
    if demo:
        say(f"演示模式：回放 {demo_path(settings)}，时间加速 {settings.demo_speed:g} 倍（1 小时 ≈ {3600 / settings.demo_speed:.0f} 秒）")
    server = uvicorn.Server(uvicorn.Config(create_app(services), host=settings.host, port=settings.port,
                                           log_level="warning", lifespan="off"))
    _quiet_exit_on_signals(stop)
    try:
        server.run()
    finally:
        stop.set()
        services.wake.set()
        outbox_wake.set()
        for thread in threads:
            thread.join(timeout=10)
        say("Sentinel 已停止 / stopped")


def _quiet_exit_on_signals(stop: threading.Event) -> None:
    """uvicorn shuts down gracefully on SIGINT/SIGTERM, then re-raises the signal to whatever handler
    was installed before it. Installing ours first turns that into a normal return, so the threads
    are stopped and the process exits 0 instead of dying by the signal."""
    if threading.current_thread() is not threading.main_thread():
        return
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())


def _source_threads(services: Services, stop: threading.Event) -> list[threading.Thread]:
    path = services.settings.config_dir / "ingest" / "sources.yaml"
    if not path.exists():
        return []
    runner = SourceRunner(services.ingest, services.store)
    threads = []
    base = services.settings.config_dir
    for index, source in enumerate(load_sources(path).sources):
        if isinstance(source, FileSource | FolderSource) and not source.path.is_absolute():
            source = source.model_copy(update={"path": base / source.path})
        if isinstance(source, FileSource):
            target: Callable[..., None] = runner.run_file
        elif isinstance(source, FolderSource):
            target = runner.run_folder
        else:
            assert isinstance(source, FeedSource)  # noqa: S101 - the union has three members
            target = runner.run_feed
        threads.append(threading.Thread(target=target, args=(source, stop), name=f"source-{index}", daemon=True))
    return threads
