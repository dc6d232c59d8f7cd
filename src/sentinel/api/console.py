"""The built-in console overview (Simplified Chinese), server-rendered and self-refreshing.

A first screen for duty staff: open incidents by urgency with their running clocks, and recent
notifications. The full console (actions, corrections) builds on the same API.
"""

from __future__ import annotations

from html import escape

from sentinel.alerts.outbox import list_delivery_failures
from sentinel.domain.alerting import WINDOW_NAMES_ZH, ClockStatus, WindowKind
from sentinel.domain.codes import TOPIC_NAMES_ZH, Grade
from sentinel.domain.incident import STATUS_NAMES_ZH, Incident
from sentinel.domain.timeutil import format_duration_zh, to_shanghai
from sentinel.store.base import PostQuery
from sentinel.wiring import Services

CLOCK_STATUS_ZH = {ClockStatus.running: "进行中", ClockStatus.breached: "已超时", ClockStatus.fulfilled: "已完成",
                   ClockStatus.cancelled: "已取消"}

SOURCE_NAMES_ZH = {"weibo": "微博", "wechat": "微信", "douyin": "抖音", "news": "新闻网站", "forum": "论坛",
                   "hotline": "12345热线", "gov_site": "政府网站"}
# What the audit log records, as duty staff say it.
AUDIT_NAMES_ZH = {
    "incident_opened": "立案", "acknowledge": "确认接报", "set_grade": "调整级别", "set_occurrence_time": "录入发生时间",
    "record_release": "发布权威信息", "record_press_conference": "召开新闻发布会", "record_response": "回应",
    "mark_rumour_refuted": "标记已辟谣", "mark_needs_response": "标记需回应", "assign_unit": "指定责任单位",
    "merge": "合并事件", "split": "拆分事件", "close": "关闭", "reopen": "重新打开", "policy_published": "政策文件发布",
    "disclosure_request": "收到依申请公开", "extend_deadline": "延长期限", "correct_classification": "更正分类",
    "clock_started": "开始计时", "clock_cancelled": "取消计时", "clock_moved": "调整计时", "clock_resumed": "恢复计时",
    "clock_extended": "延长计时", "clock_caught_up": "补发到期提醒",
}
_AUDIT_DETAILS = ("url", "channel", "grade", "reason", "note", "window", "unit", "other", "merged", "by", "at")


def _detail_zh(key: str, value: object) -> str:
    if key == "merged":
        return f"并入 {value}"
    if key == "by" and value == "grouping":
        return "系统判定为同一事件，自动合并"
    if key == "grade" and str(value) in Grade.__members__:
        return Grade(str(value)).zh
    if key == "window" and str(value) in WindowKind.__members__:
        return WINDOW_NAMES_ZH[WindowKind(str(value))]
    return str(value)


def _audit_rows(services: Services, incident_id: str) -> str:
    rows = []
    for e in services.store.list_audit(incident_id):
        details = "；".join(escape(_detail_zh(k, e.details[k])) for k in _AUDIT_DETAILS if e.details.get(k))
        actor = "系统" if e.actor == "system" else e.actor
        rows.append(f"<tr><td>{to_shanghai(e.at):%m-%d %H:%M}</td><td>{escape(actor)}</td>"
                    f"<td>{escape(AUDIT_NAMES_ZH.get(e.action, e.action))}</td><td>{details}</td></tr>")
    return "".join(rows)


# Why input was refused, as duty staff say it (the code before the colon of a reject's reason).
REJECT_REASONS_ZH = {
    "invalid_json": "JSON 格式错误", "not_object": "不是 JSON 对象", "invalid_post": "字段不合规",
    "empty_text": "正文为空", "empty_line": "空行", "invalid_encoding": "编码无法识别",
    "normalise_failed": "规范化失败", "unreadable_post": "记录无法读取", "classification_failed": "分类失败（需人工研判）",
    "incident_stage_failed": "归并失败",
}


def rejects_page(services: Services, limit: int = 100) -> str:
    """Rejected input with its reason in Chinese and the raw input's start: what to fix at the source."""
    page = services.store.list_rejects(limit, 0)
    rows = []
    for r in page.items:
        code, _, detail = r.reason.partition(":")
        rows.append(f"<tr><td>{to_shanghai(r.at):%m-%d %H:%M}</td><td>{escape(r.source)}</td>"
                    f"<td>{escape(REJECT_REASONS_ZH.get(code, code))}<br><span class='muted'>{escape(detail.strip()[:160])}</span></td>"
                    f"<td>{escape(r.post_id or '')}</td><td class='muted'>{escape(r.raw[:160])}</td></tr>")
    body = (f"<p><a href='/'>← 返回</a></p><h1>拒收记录（{page.total}）</h1>"
            "<p class='muted'>被拒收的输入保留原始内容与原因（无法解码的行以 base64 保存）；最近 "
            f"{len(page.items)} 条，全部见 <a href='/api/v1/rejects'>/api/v1/rejects</a> 或 <code>sentinel rejects</code>。</p>"
            "<table><tr><th>时间</th><th>来源</th><th>原因</th><th>帖文编号</th><th>原始内容（节选）</th></tr>"
            f"{''.join(rows) or '<tr><td colspan=5 class=muted>暂无</td></tr>'}</table>")
    return _page("拒收记录", body, refresh=30)


_STYLE = """
body{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;margin:1.5rem;color:#222}
h1{font-size:1.4rem} table{border-collapse:collapse;width:100%;margin-bottom:1.5rem}
th,td{border-bottom:1px solid #ddd;padding:.4rem .5rem;text-align:left;font-size:.9rem;vertical-align:top}
th{background:#f3f4f6} .g-particularly_serious,.g-serious{color:#fff;background:#b91c1c;padding:0 .3rem}
.g-relatively_serious{background:#f59e0b;padding:0 .3rem} .g-general{background:#fde68a;padding:0 .3rem}
.late{color:#b91c1c;font-weight:bold} .muted{color:#6b7280} a{color:#1d4ed8}
"""


def _page(title: str, body: str, refresh: int = 10) -> str:
    return (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta http-equiv="refresh" '
            f'content="{refresh}"><title>{escape(title)}</title><style>{_STYLE}</style></head><body>{body}</body></html>')


def _status_html(inc: Incident) -> str:
    """A merged-away incident says where its posts and clocks went, so nobody acts on the husk."""
    if inc.merged_into:
        target = escape(inc.merged_into)
        return f"已并入 <a href='/incidents/{target}'>{target}</a>"
    return STATUS_NAMES_ZH[inc.status]


def overview(services: Services) -> str:
    store = services.store
    now = services.clock.now()
    stats = store.stats()
    urgent = store.incidents_with_open_clocks()  # all of them, however old: a deadline is at stake
    recent, total = store.list_incidents(limit=50, order="last_seen")
    seen = {i.id for i in urgent}
    others = [i for i in recent if i.id not in seen and not i.merged_into]
    rows = []
    for inc in sorted(urgent, key=lambda i: -i.grade.rank) + sorted(others, key=lambda i: (-i.grade.rank, -i.heat.score)):
        clocks = [c for c in store.clocks_for(inc.id) if c.status in (ClockStatus.running, ClockStatus.breached)]
        clock_text = "<br>".join(
            f'{WINDOW_NAMES_ZH[c.window]}：<span class="{"late" if c.due_at < now else ""}">'
            f"{escape(format_duration_zh(c.due_at - now))}</span>" for c in clocks
        ) or '<span class="muted">无</span>'
        topics = "、".join(TOPIC_NAMES_ZH[t] for t in inc.topics[:3])
        rows.append(
            f'<tr><td><span class="g-{inc.grade.value}">{escape(inc.grade.zh)}</span></td>'
            f'<td><a href="/incidents/{escape(inc.id)}">{escape(inc.title)}</a><br><span class="muted">{escape(topics)}</span></td>'
            f"<td>{escape(inc.owner_unit or '待指定')}</td><td>{_status_html(inc)}</td>"
            f"<td>{inc.heat.posts}条 / {inc.heat.authors}人</td><td>{clock_text}</td>"
            f"<td>{to_shanghai(inc.first_seen):%m-%d %H:%M}</td></tr>"
        )
    notes = "".join(
        f"<li>{to_shanghai(n.at):%m-%d %H:%M} {escape(n.title_zh)}{' <b>(补发)</b>' if n.late else ''}</li>"
        for n, _, _ in store.list_notifications(limit=15)
    )
    failures = "".join(
        f"<li>{to_shanghai(f.last_at or f.at):%m-%d %H:%M} <a href='/incidents/{escape(f.incident_id)}'>{escape(f.incident_id)}</a> "
        f"{escape(f.recipient or '通知')} {escape(f.channel)}：{escape(f.error[:120])}</li>"
        for f in list_delivery_failures(store, open_only=True, limit=20)
    )
    failed_block = f"<h2 class='late'>发送失败（需人工处理）</h2><ul>{failures}</ul>" if failures else ""
    body = (
        f"<h1>Sentinel 舆情值班台</h1><p class='muted'>当前时间 {to_shanghai(now):%Y-%m-%d %H:%M:%S}（北京时间） · "
        f"帖文 {stats['posts']} · 重复 {stats['duplicates']} · 拒收 {stats['rejects']} · 事件 {stats['incidents']}</p>"
        f"<h2>事件（{total}）</h2><table><tr><th>级别</th><th>事件</th><th>责任单位</th><th>状态</th><th>热度</th>"
        f"<th>回应时限</th><th>首发时间</th></tr>{''.join(rows)}</table>"
        f"{failed_block}<h2>最新通知</h2><ul>{notes or '<li class=muted>暂无</li>'}</ul>"
        f"<p class='muted'><a href='/docs'>API 文档</a> · <a href='/rejects'>拒收记录</a></p>"
    )
    return _page("Sentinel 舆情值班台", body)


def incident_page(services: Services, incident_id: str) -> str | None:
    """None when there is no such incident (the route answers 404)."""
    store = services.store
    inc = store.get_incident(incident_id)
    if inc is None:
        return None
    now = services.clock.now()
    clocks = "".join(
        f"<tr><td>{WINDOW_NAMES_ZH[c.window]}</td><td>{to_shanghai(c.started_at):%m-%d %H:%M}</td>"
        f"<td>{to_shanghai(c.due_at):%m-%d %H:%M}</td><td>{CLOCK_STATUS_ZH.get(c.status, c.status.value)}</td>"
        f"<td>{escape(format_duration_zh(c.due_at - now)) if c.status in (ClockStatus.running, ClockStatus.breached) else ''}</td></tr>"
        for c in store.clocks_for(inc.id)
    )
    posts = "".join(
        f"<tr><td>{to_shanghai(p.post.published_at):%m-%d %H:%M}</td><td>{escape(SOURCE_NAMES_ZH.get(p.post.source, p.post.source))}</td>"
        f"<td>{escape(p.post.text[:200])}</td></tr>"
        for p in store.search_posts(PostQuery(incident_id=inc.id, limit=100)).items
    )
    body = (
        f"<p><a href='/'>← 返回</a></p><h1>{escape(inc.title)}</h1>"
        f"<p><span class='g-{inc.grade.value}'>{escape(inc.grade.zh)}</span> · {_status_html(inc)} · "
        f"责任单位：{escape(inc.owner_unit or '待指定')} · 牵头部门：{escape('、'.join(inc.lead_departments) or '待指定')}</p>"
        f"<p class='muted'>{escape(inc.grade_evidence)}</p>"
        f"<h2>回应时限</h2><table><tr><th>时限</th><th>起算</th><th>截止</th><th>状态</th><th>剩余</th></tr>{clocks}</table>"
        f"<h2>相关帖文</h2><table><tr><th>时间</th><th>来源</th><th>内容</th></tr>{posts}</table>"
        f"<h2>处置记录</h2><table><tr><th>时间</th><th>操作人</th><th>操作</th><th>详情</th></tr>"
        f"{_audit_rows(services, inc.id)}</table>"
    )
    return _page(inc.title, body, refresh=15)
