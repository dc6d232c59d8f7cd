"""Chinese wording of clock events, shared by every channel (channels only cut it to size)."""

from __future__ import annotations

from datetime import datetime

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
    late: bool = False,
    link: str | None = None,
    extra: str = "",
) -> tuple[str, str]:
    """(title, body) in Chinese: grade, window, time left or overdue, owner, link."""
    window_zh = WINDOW_NAMES_ZH[window] if window else ""
    grade_zh = incident.grade.zh
    head = f"【{grade_zh.split('(')[0]}·{_KIND_ZH[kind]}】"
    title = f"{head}{incident.title[:40]}" + (f" {window_zh}" if window_zh else "")
    lines = [f"事件：{incident.title}", f"级别：{grade_zh}"]
    if window_zh and due is not None:
        lines.append(f"时限：{window_zh}，截止 {to_shanghai(due):%m月%d日 %H:%M}")
        remaining = due - now
        lines.append(("剩余：" if remaining.total_seconds() >= 0 else "") + format_duration_zh(remaining))
    if incident.owner_unit or incident.lead_departments:
        lines.append(f"责任单位：{incident.owner_unit or '待指定'}；牵头部门：{'、'.join(incident.lead_departments) or '待指定'}")
    if late:
        lines.append("注意：此通知因系统停机或信息迟到而补发。")
    if extra:
        lines.append(extra)
    if link:
        lines.append(f"详情：{link}")
    return title, "\n".join(lines)
