"""Shared by the notifier tests (it holds no tests of its own): a sample notification and a
real HTTP receiver on 127.0.0.1 that records requests and answers like the robot APIs do."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from sentinel.domain.alerting import EventKind, Notification, Recipient
from sentinel.domain.timeutil import SHANGHAI

NOW = datetime(2026, 3, 1, 15, 10, tzinfo=SHANGHAI)
LINK = "https://sentinel.example.gov.cn/incidents/inc-1"
TOKEN = "robot-access-token-7f3a9c"


def make(**changes: Any) -> Notification:
    """A 重大 incident's 权威信息发布 deadline, missed by 1 h 10 min at NOW; `changes` override."""
    fields: dict[str, Any] = {
        "dedup_key": "inc-1:release:2",
        "kind": EventKind.breach,
        "incident_id": "inc-1",
        "incident_title": "新港区化工园区爆炸",
        "grade_zh": "重大(Ⅱ级)",
        "window": "release",
        "window_zh": "权威信息发布",
        "due": NOW - timedelta(hours=1, minutes=10),
        "at": NOW,
        "recipients": (Recipient(name="张三", role="值班员"),),
        "owner_unit": "新港区委宣传部",
        "title_zh": "",
        "body_zh": "网民反映化工园区发生爆炸，现场有浓烟。",
        "link": LINK,
    }
    fields.update(changes)
    return Notification(**fields)


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    raw_query: str
    headers: dict[str, str]
    body: bytes

    @property
    def target(self) -> str:
        """The request target as sent: path and query."""
        return f"{self.path}?{self.raw_query}" if self.raw_query else self.path

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Reply:
    status: int = 200
    body: Any = field(default_factory=lambda: {"errcode": 0, "errmsg": "ok"})
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0


class Receiver:
    """A real HTTP server in a thread: records every request, answers from `script` (then
    `default`), and lets `verify` answer first, like a service rejecting a bad signature."""

    def __init__(self, verify: Callable[[Seen], Reply | None] | None = None) -> None:
        self.seen: list[Seen] = []
        self.script: list[Reply] = []
        self.default = Reply()
        self.verify = verify
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                parts = urlsplit(self.path)
                seen = Seen(
                    self.command, parts.path, parse_qs(parts.query), parts.query, dict(self.headers), raw
                )
                receiver.seen.append(seen)
                reply = (receiver.verify and receiver.verify(seen)) or (
                    receiver.script.pop(0) if receiver.script else receiver.default
                )
                time.sleep(reply.delay_s)
                data = reply.body if isinstance(reply.body, bytes) else json.dumps(reply.body).encode()
                self.send_response(reply.status)
                for key, value in reply.headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                with contextlib.suppress(OSError):  # the client gave up (timeout tests)
                    self.wfile.write(data)

            do_POST = do_PUT = _handle

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> Receiver:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# Named apart from its fixture name, so a module importing it may still use `receiver` locally.
@pytest.fixture(name="receiver")
def receiver_fixture() -> Iterator[Receiver]:
    with Receiver() as r:
        yield r
