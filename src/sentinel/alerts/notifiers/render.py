"""Chinese message texts for each channel, cut to each channel's size limit.

Limits (bytes are UTF-8 bytes, where a Chinese character takes 3):
钉钉 markdown text ≤ 20,000 bytes · 企业微信 markdown content ≤ 4,096 bytes ·
飞书 request body ≤ 20 KB (the official custom-bot guide; the 30 KB sometimes quoted is too
generous) · SMS 70 characters in one segment, 67 per segment once split (the concatenation
header takes 3), at most 3 segments · email subject ≤ 78 characters.

Incident titles and bodies come from public posts, so they are treated as untrusted: markdown
control characters are swapped for their full-width forms (a post cannot smuggle a phishing
link or an @all into the duty group), HTML is escaped, and only http(s) links are shown.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote, urlsplit

from sentinel.domain.alerting import WINDOW_NAMES_ZH, EventKind, Notification, WindowKind
from sentinel.domain.timeutil import ensure_aware, format_duration_zh, to_shanghai

DINGTALK_MAX_BYTES = 20_000
WECOM_MAX_BYTES = 4_096
FEISHU_MAX_BYTES = 20_000
SMS_SINGLE_CHARS = 70
SMS_MULTIPART_CHARS = 67
SMS_MAX_SEGMENTS = 3
EMAIL_SUBJECT_MAX_CHARS = 78
ELLIPSIS = "…"

# A headline longer than this is cut before it can crowd out the deadline and link lines.
TITLE_MAX_BYTES = 600
FIELD_MAX_BYTES = 300

_KIND_TAG = {
    EventKind.opened: "新发",
    EventKind.reminder: "提醒",
    EventKind.escalation: "升级",
    EventKind.breach: "超时",
    EventKind.fulfilled: "已办结",
    EventKind.closed: "关闭",
    EventKind.cancelled: "撤销",
    EventKind.continued_release: "持续发布",
    EventKind.watchdog: "系统",
}
_NO_COUNTDOWN = {EventKind.fulfilled, EventKind.closed, EventKind.cancelled}
_MD_SWAP = str.maketrans({
    "[": "［", "]": "］", "(": "（", ")": "）", "<": "＜", ">": "＞", "*": "＊", "_": "＿",
    "`": "｀", "#": "＃", "|": "｜", "~": "～", "!": "！", "\\": "＼", "@": "＠",
})  # fmt: skip


def truncate_bytes(text: str, max_bytes: int, ellipsis: str = ELLIPSIS) -> str:
    """`text` cut to at most `max_bytes` UTF-8 bytes, never inside a character, marked with …"""
    raw = text.encode("utf-8")
    if len(raw) <= max_bytes:
        return text
    room = max_bytes - len(ellipsis.encode("utf-8"))
    if room <= 0:
        return ""
    # Decoding a cut prefix with errors="ignore" drops only the partial last character.
    return raw[:room].decode("utf-8", errors="ignore") + ellipsis


def truncate_chars(text: str, max_chars: int, ellipsis: str = ELLIPSIS) -> str:
    if len(text) <= max_chars:
        return text
    return text[: max(0, max_chars - len(ellipsis))] + ellipsis


def sms_limit(max_segments: int = SMS_MAX_SEGMENTS) -> int:
    return SMS_SINGLE_CHARS if max_segments <= 1 else SMS_MULTIPART_CHARS * max_segments


def sms_segments(text: str) -> int:
    if len(text) <= SMS_SINGLE_CHARS:
        return 1
    return -(-len(text) // SMS_MULTIPART_CHARS)


def escape_md(text: str) -> str:
    return " ".join(text.split()).translate(_MD_SWAP)


def safe_link(link: str | None) -> str | None:
    """Only http(s) links are shown; characters that would end a markdown link are encoded."""
    if not link or urlsplit(link).scheme not in ("http", "https"):
        return None
    return quote(link, safe=":/?#@!$&'*+,;=%~")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _grade_short(grade_zh: str) -> str:
    return grade_zh.split("(")[0].split("（")[0].strip()


def window_name(n: Notification) -> str:
    if n.window_zh:
        return n.window_zh
    if n.window and n.window in WindowKind.__members__:
        return WINDOW_NAMES_ZH[WindowKind(n.window)]
    return n.window or ""


def time_left(n: Notification, now: datetime) -> str:
    """'剩余3小时05分' / '已超时1小时10分', or '' where no countdown applies."""
    if n.due is None or n.kind in _NO_COUNTDOWN:
        return ""
    # ensure_aware: the domain model does not yet reject naive datetimes, and a TypeError here
    # would turn a deliverable alert into a failed one.
    delta = ensure_aware(n.due) - ensure_aware(now)
    text = format_duration_zh(delta)
    return text if delta.total_seconds() < 0 else f"剩余{text}"


def compose_title(n: Notification, now: datetime) -> str:
    """e.g. 【重大·超时】新港区化工园区爆炸 权威信息发布已超时 (the engine may use this for title_zh)."""
    tag = _KIND_TAG.get(n.kind, "")
    grade = _grade_short(n.grade_zh)
    label = "·".join(p for p in (grade, tag) if p)
    window = window_name(n)
    overdue = n.due is not None and ensure_aware(n.due) <= ensure_aware(now)
    if n.kind is EventKind.breach or (overdue and n.kind not in _NO_COUNTDOWN):
        phrase = "已超时"
    elif n.kind in (EventKind.reminder, EventKind.escalation):
        phrase = "即将到期"
    elif n.kind is EventKind.opened:
        phrase = "开始计时"
    elif n.kind is EventKind.fulfilled:
        phrase = "已完成"
    else:
        phrase = ""
    tail = f" {window}{phrase}" if window else (f" {phrase}" if phrase else "")
    return f"【{label}】{_one_line(n.incident_title)}{tail}" if label else f"{n.incident_title}{tail}"


@dataclass(frozen=True)
class MessageParts:
    """The pieces every channel shows; fields are plain (unescaped) one-line strings."""

    title: str
    grade: str
    window: str
    due: str
    left: str
    owner_unit: str
    recipients: str
    late_note: str
    body: str
    link: str | None


def message_parts(n: Notification, now: datetime) -> MessageParts:
    title = _one_line(n.title_zh) if n.title_zh.strip() else compose_title(n, now)
    due = to_shanghai(n.due).strftime("%Y-%m-%d %H:%M") if n.due else ""
    people = "、".join(f"{r.name}（{r.role}）" if r.role else r.name for r in n.recipients)
    late = f"因系统延迟补发，原定 {to_shanghai(n.at).strftime('%m-%d %H:%M')} 发出" if n.late else ""
    return MessageParts(
        title=truncate_bytes(title, TITLE_MAX_BYTES),
        grade=truncate_bytes(_one_line(n.grade_zh), FIELD_MAX_BYTES),
        window=truncate_bytes(window_name(n), FIELD_MAX_BYTES),
        due=due,
        left=time_left(n, now),
        owner_unit=truncate_bytes(_one_line(n.owner_unit or ""), FIELD_MAX_BYTES),
        recipients=truncate_bytes(people, FIELD_MAX_BYTES),
        late_note=late,
        body=n.body_zh.strip(),
        link=safe_link(n.link),
    )


def _deadline_line(p: MessageParts) -> str:
    if not p.window and not p.due:
        return ""
    text = p.window
    if p.due:
        text += f"，截止 {p.due}" if text else f"截止 {p.due}"
    if p.left:
        text += f"（{p.left}）"
    return text


def _fit(head: list[str], body: str, tail: list[str], sep: str, max_bytes: int) -> str:
    """Join head, body and tail; when too long only the body is shortened, so the deadline and
    link survive; a final byte cut is a safety net that only bites for absurd field sizes."""
    fixed = sep.join([*head, *tail])
    if body:
        room = max_bytes - len(fixed.encode("utf-8")) - 2 * len(sep.encode("utf-8"))
        body = truncate_bytes(body, room) if room > 0 else ""
    parts = [*head, body, *tail] if body else [*head, *tail]
    return truncate_bytes(sep.join(parts), max_bytes)


def _facts(p: MessageParts) -> list[tuple[str, str]]:
    """The labelled lines every long format shows under the headline; empty ones are left out."""
    facts = [
        ("事件分级", p.grade),
        ("响应时限", _deadline_line(p)),
        ("责任单位", p.owner_unit),
        ("通知对象", p.recipients),
        ("补发说明", p.late_note),
    ]
    return [(label, value) for label, value in facts if value]


def render_markdown(n: Notification, now: datetime, max_bytes: int, *, suffix: str = "") -> str:
    """钉钉/企业微信/飞书 markdown: a heading, quoted facts, the body, a link. `suffix` (e.g. 钉钉
    @mobile mentions) is appended verbatim and counted in the budget."""
    p = message_parts(n, now)
    head = [f"### {escape_md(p.title)}"]
    head += [f"> **{label}**：{escape_md(value)}" for label, value in _facts(p)]
    tail = [f"[查看详情]({p.link})"] if p.link else []
    if suffix:
        tail.append(suffix)
    body = "\n\n".join(escape_md(line) for line in p.body.splitlines() if line.strip())
    return _fit(head, body, tail, "\n\n", max_bytes)


def render_text(n: Notification, now: datetime, max_bytes: int) -> str:
    """Plain text (飞书 text messages, email text part, webhook `text`)."""
    p = message_parts(n, now)
    head = [p.title, *(f"{label}：{value}" for label, value in _facts(p))]
    tail = [f"详情：{p.link}"] if p.link else []
    return _fit(head, p.body, tail, "\n", max_bytes)


def render_sms(n: Notification, now: datetime, max_segments: int = SMS_MAX_SEGMENTS) -> str:
    """One line for SMS: headline, deadline, owner unit; no link (carriers often block links in
    government SMS, and the console has the details)."""
    limit = sms_limit(max_segments)
    p = message_parts(n, now)
    tail = ""
    if p.due:
        tail += f"，截止{p.due[5:]}"
        tail += f"（{p.left}）" if p.left else ""
    if p.owner_unit:
        tail += f"，责任单位：{p.owner_unit}"
    tail += "。"
    if len(tail) > limit // 2:  # a huge unit name must not push the headline out
        tail = truncate_chars(tail, limit // 2)
    return truncate_chars(p.title, limit - len(tail)) + tail


def render_email(n: Notification, now: datetime) -> tuple[str, str, str]:
    """(subject, text part, html part)."""
    p = message_parts(n, now)
    subject = truncate_chars(p.title, EMAIL_SUBJECT_MAX_CHARS)
    text = render_text(n, now, 1_000_000)
    esc = html.escape
    table = "".join(f"<tr><th align='left'>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in _facts(p))
    paragraphs = "".join(f"<p>{esc(line)}</p>" for line in p.body.splitlines() if line.strip())
    link = f"<p><a href='{esc(p.link, quote=True)}'>查看详情</a></p>" if p.link else ""
    page = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>"
        f"<h2>{esc(p.title)}</h2><table>{table}</table>{paragraphs}{link}</body></html>"
    )
    return subject, text, page


def card_template(n: Notification) -> str:
    """飞书 card header colour: red when overdue or escalated, orange for reminders."""
    if n.kind in (EventKind.breach, EventKind.escalation):
        return "red"
    if n.kind is EventKind.reminder:
        return "orange"
    return "blue"
