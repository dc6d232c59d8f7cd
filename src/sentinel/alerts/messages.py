"""Chinese wording of clock events, shared by every channel (channels only cut it to size)."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from sentinel.domain.alerting import WINDOW_NAMES_ZH, EventKind, WindowKind
from sentinel.domain.incident import Incident
from sentinel.domain.timeutil import format_duration_zh, to_shanghai

_KIND_ZH = {
    EventKind.opened: "开始计时",
    EventKind.reminder: "提醒",
    EventKind.escalation: "升级通知",
    EventKind.breach: "已超时",
    EventKind.fulfilled: "已完成",
    EventKind.closed: "已关闭",
    EventKind.cancelled: "已取消",
    EventKind.continued_release: "持续发布提醒",
    EventKind.watchdog: "系统告警",
}


def compose(
    kind: EventKind,
    incident: Incident,
    window: WindowKind | None,
    due: datetime | None,
    now: datetime,
    *,
    extra: str = "",
) -> tuple[str, str]:
    """(title, body) in Chinese. The body is the narrative only: channels render grade, window,
    deadline, owner and link as their own fields (see notifiers/render.py), so they are not repeated."""
    window_zh = WINDOW_NAMES_ZH[window] if window else ""
    head = f"【{incident.grade.zh.split('(')[0]}·{_KIND_ZH[kind]}】"
    title = f"{head}{incident.title[:40]}" + (f" {window_zh}" if window_zh else "")
    lines = [f"事件：{incident.title}"]
    if window_zh and due is not None:
        remaining = due - now
        lines.append(f"{window_zh}截止 {_day_and_time(due)}，" + ("剩余" if remaining.total_seconds() >= 0 else "")
                     + format_duration_zh(remaining))
    if extra:
        lines.append(extra)
    return title, "\n".join(lines)


@lru_cache(maxsize=4096)  # each clock's deadline is written into every one of its steps
def _day_and_time(due: datetime) -> str:
    return f"{to_shanghai(due):%m月%d日 %H:%M}"
