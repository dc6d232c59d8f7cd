"""`sentinel …` — the command line.

Exit codes scripts can rely on: 0 success; 1 failure (bad configuration, unreadable input);
2 usage error (typer); 3 done, but some input lines were rejected (they are kept, see `sentinel rejects`).
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from sentinel.domain.codes import Grade
from sentinel.domain.incident import IncidentStatus
from sentinel.domain.timeutil import iso, parse_iso
from sentinel.settings import Settings, get_settings
from sentinel.yamlconf import ConfigError

EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_PARTIAL = 3

app = typer.Typer(help="Sentinel 舆情监测与回应时限 — public-sentiment monitoring and response windows.",
                  no_args_is_help=True, add_completion=False)
out = Console()
err = Console(stderr=True)


def _settings(host: str | None = None, port: int | None = None) -> Settings:
    base = get_settings()
    update: dict[str, Any] = {}
    if host:
        update["host"] = host
    if port:
        update["port"] = port
    return base.model_copy(update=update) if update else base


def _fail(message: str) -> typer.Exit:
    err.print(f"[red]错误 / error:[/red] {message}", soft_wrap=True)  # one line, whatever the terminal width
    return typer.Exit(EXIT_FAILURE)


def _usage(message: str) -> typer.Exit:
    """The command line itself is wrong (an unknown action, a bad time): exit 2, as for typer's own checks."""
    err.print(f"[red]用法错误 / usage error:[/red] {message}", soft_wrap=True)
    return typer.Exit(EXIT_USAGE)


@app.command()
def run(
    demo: Annotated[bool, typer.Option("--demo", help="Replay ingest/samples/demo.jsonl on an accelerated clock.")] = False,
    host: Annotated[str | None, typer.Option(help="Bind address (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000).")] = None,
    speed: Annotated[float | None, typer.Option(help="Demo speed factor (default 120: two hours per minute).")] = None,
) -> None:
    """Run every stage in one process (SQLite store) and serve the API and console."""
    from sentinel.runtime import PipelineBusy, PortBusy
    from sentinel.runtime import run as run_embedded

    settings = _settings(host, port)
    if speed:
        settings = settings.model_copy(update={"demo_speed": speed})
    try:
        run_embedded(settings, demo, say=lambda m: out.print(m, highlight=False, soft_wrap=True))
    except (ConfigError, PipelineBusy, PortBusy) as exc:
        raise _fail(str(exc)) from exc


@app.command()
def ingest(
    source: Annotated[str, typer.Argument(help="A JSONL file, a folder of JSONL files, or - for stdin.")],
    process: Annotated[bool, typer.Option("--process", help="Also classify, group and start clocks now.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Store posts from JSONL (UTF-8, UTF-8 with BOM, GBK/GB18030); bad lines are kept as rejects."""
    from sentinel.ingest.sources import iter_file_lines, iter_stream_lines

    services = _services_or_fail()
    if source == "-":
        streams = [iter_stream_lines(sys.stdin.buffer, "stdin")]
    else:
        path = Path(source)
        if not path.exists():
            raise _fail(f"找不到 {source} / not found")
        files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
        streams = [iter_file_lines(f) for f in files]
    with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err, transient=True, disable=as_json or not err.is_terminal) as bar:
        task = bar.add_task("导入 ingest", total=None)
        total: dict[str, Any] = {"stored": 0, "duplicates": 0, "id_conflicts": 0, "rejected": 0, "reject_reasons": {}}
        for lines in streams:
            try:
                report = services.ingest.ingest_lines(lines, progress=lambda n: bar.advance(task, n))
            except OSError as exc:  # unreadable file: what was read before it is stored
                raise _fail(_os_error(exc)) from exc
            for key, value in report.as_dict().items():
                if isinstance(value, dict):
                    for reason, count in value.items():
                        total[key][reason] = total[key].get(reason, 0) + count
                else:
                    total[key] += value
    processed = _drain_unless_served(services) if process else None
    if as_json:
        _json_line(json.dumps(total, ensure_ascii=False))
    else:
        out.print(f"已存储 stored {total['stored']} · 重复 duplicates {total['duplicates']} · "
                  f"ID冲突 id conflicts {total['id_conflicts']} · 拒收 rejected {total['rejected']}")
        for reason, count in total["reject_reasons"].items():
            out.print(f"  拒收原因 {reason}: {count}")
    if processed is False:
        err.print(SERVER_WILL_PROCESS, soft_wrap=True)
    if total["rejected"]:
        raise typer.Exit(EXIT_PARTIAL)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words to find (Chinese words of any length; Traditional is folded).")] = "",
    topic: Annotated[str | None, typer.Option(help="Topic code, e.g. work_safety.")] = None,
    grade: Annotated[str | None, typer.Option(help="Grade code, e.g. serious.")] = None,
    source: Annotated[str | None, typer.Option(help="weibo, news, hotline, …")] = None,
    region: Annotated[str | None, typer.Option()] = None,
    since: Annotated[str | None, typer.Option(help="ISO time; naive means Asia/Shanghai.")] = None,
    until: Annotated[str | None, typer.Option()] = None,
    limit: Annotated[int, typer.Option(min=1, max=500)] = 20,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Full-text search over stored posts, newest first."""
    from sentinel.store.base import PostQuery

    services = _services_or_fail()
    try:  # the store folds the query (Traditional, full-width) as it folds post texts
        page = services.store.search_posts(PostQuery(query or None, _time(since), _time(until), topic, grade, source,
                                                     region, None, limit, offset))
    except ValueError as exc:
        raise _fail(str(exc)) from exc
    if as_json:
        for item in page.items:
            _json_line(item.post.model_dump_json())
        return
    table = Table(title=f"{page.total} 条结果 results ({page.note})")
    for column in ("时间", "来源", "级别", "内容"):
        table.add_column(column)
    for item in page.items:
        grade_text = item.classification.grade.zh if item.classification else "待分类"
        table.add_row(iso(item.post.published_at)[5:16], item.post.source, grade_text, item.post.text[:80])
    out.print(table)


@app.command()
def rejects(
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Show rejected input with its reason (newest first)."""
    services = _services_or_fail()
    page = services.store.list_rejects(limit)
    if as_json:
        for item in page.items:
            _json_line(item.model_dump_json())
        return
    table = Table(title=f"拒收记录 rejects: {page.total}")
    for column in ("时间", "来源", "原因", "原始内容"):
        table.add_column(column)
    for r in page.items:
        table.add_row(iso(r.at)[5:19], r.source, r.reason, r.raw[:60])
    out.print(table)


@app.command()
def schema(
    name: Annotated[str, typer.Argument(help="post | classification | incident | notification")] = "post",
) -> None:
    """Print a JSON Schema: `post` is the input contract for integrators."""
    from sentinel.domain.alerting import Notification
    from sentinel.domain.classification import Classification
    from sentinel.domain.incident import Incident
    from sentinel.domain.post import PostIn

    models: dict[str, Any] = {"post": PostIn, "classification": Classification, "incident": Incident,
                              "notification": Notification}
    if name not in models:
        raise _usage(f"unknown schema {name!r}; choose one of {', '.join(models)}")
    sys.stdout.write(json.dumps(models[name].model_json_schema(), ensure_ascii=False, indent=2) + "\n")


@app.command()
def classify(
    input_path: Annotated[Path, typer.Argument(metavar="INPUT.jsonl", help="Posts, one JSON object per line.")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write here instead of stdout.")] = None,
) -> None:
    """Classify posts: one output line per input line, same order (id, topics, grade, …; or id + error)."""
    from sentinel.classify.batch import classify_lines
    from sentinel.classify.ensemble_model import build_ensemble
    from sentinel.classify.taxonomy import load_taxonomy
    from sentinel.domain.timeutil import SystemClock
    from sentinel.wiring import normaliser_for

    _check_input(input_path)
    settings = get_settings()
    try:
        classifier = build_ensemble(settings, load_taxonomy(settings.config_dir / "classify" / "taxonomy.yaml"))
    except (ConfigError, ValueError) as exc:
        raise _fail(str(exc)) from exc
    sink = _open_output(output)  # after the model loads: a failed load leaves no empty output file
    try:
        errors = classify_lines(input_path, classifier, normaliser_for(settings, SystemClock()), sink)
    except OSError as exc:
        raise _fail(_os_error(exc)) from exc
    finally:
        if output:
            sink.close()
    if errors:
        err.print(f"{errors} 行无法分类 lines could not be classified (see their `error`)")
        raise typer.Exit(EXIT_PARTIAL)


@app.command()
def simulate(
    scenario: Annotated[Path, typer.Argument(metavar="SCENARIO.jsonl", help="Lines {at, post} / {at, action, post_id, …}.")],
    until: Annotated[str | None, typer.Option(help="Stop at this time (default: 72 h after the last line).")] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output")] = None,
    policies: Annotated[Path | None, typer.Option(
        help="试行时限规则：用此 policies.yaml 代替 alerts/policies.yaml（不改动本单位配置）。"
             "Try these response windows instead of alerts/policies.yaml.")] = None,
    compare: Annotated[bool, typer.Option(
        "--compare", help="与现行规则对比：再按现行规则（alerts/policies.yaml 或 SENTINEL_POLICIES_FILE）推演一遍，"
                          "两份小结并列输出到 stderr。With --policies: also run the configured policies and print both summaries.")] = False,
) -> None:
    """Run the whole pipeline on a virtual clock with the configured policies (drills, policy trials)."""
    import io

    from sentinel.alerts.policies import load_policies
    from sentinel.simulate import DrillSummary, ScenarioError
    from sentinel.simulate import simulate as run_simulation

    _check_input(scenario)
    if policies is not None and not policies.is_file():
        raise _fail(f"找不到时限规则文件 {policies} / policies file not found")
    if compare and policies is None:
        raise _fail("--compare 需要 --policies（与哪份规则对比）/ --compare needs --policies")
    settings = get_settings()
    configured = settings.policies_file  # SENTINEL_POLICIES_FILE, else alerts/policies.yaml
    sink = _open_output(output)
    rejected: list[int] = []
    try:
        if policies is not None:
            load_policies(policies)  # a mistake in the trial file before any drill runs
        if compare:  # the configured policies first; only the trial's notifications are written out
            current = f"现行规则 {configured or 'alerts/policies.yaml'}："
            run_simulation(scenario, settings.config_dir, io.StringIO(), _time(until), policies=configured,
                           on_summary=lambda summary: typer.echo(current + summary.zh(), err=True))
        label = f"试行规则 {policies}：" if compare else ""

        def summarise(summary: DrillSummary) -> None:
            typer.echo(label + summary.zh(), err=True)
            rejected.append(len(summary.rejected))

        run_simulation(scenario, settings.config_dir, sink, _time(until), policies=policies or configured,
                       on_summary=summarise)
    except (ScenarioError, ConfigError) as exc:
        raise _fail(str(exc)) from exc
    except OSError as exc:
        raise _fail(_os_error(exc)) from exc
    finally:
        if output:
            sink.close()
    if any(rejected):  # the drill ran without those lines: done, with input rejected
        raise typer.Exit(EXIT_PARTIAL)


@app.command()
def incidents(
    status: Annotated[IncidentStatus | None, typer.Option(help="new, acknowledged, …, closed")] = None,
    grade: Annotated[Grade | None, typer.Option()] = None,
    limit: Annotated[int, typer.Option(min=1, max=500)] = 30,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """List incidents with their running clocks, most severe first. Without filters, every incident
    with a running or overdue deadline comes first, then the most recent others (up to --limit)."""
    from sentinel.domain.alerting import WINDOW_NAMES_ZH, ClockStatus
    from sentinel.domain.incident import STATUS_NAMES_ZH
    from sentinel.domain.timeutil import format_duration_zh

    services = _services_or_fail()
    items, total = services.store.list_incidents(status=status and status.value, grade=grade and grade.value, limit=limit)
    if status is None and grade is None:
        urgent = services.store.incidents_with_open_clocks()
        seen = {i.id for i in urgent}
        items = urgent + [i for i in items if i.id not in seen and not i.merged_into][: max(0, limit - len(urgent))]
    if as_json:
        for incident in items:
            _json_line(incident.model_dump_json())
        return
    now = services.clock.now()
    table = Table(title=f"事件 incidents: {total}")
    for column in ("编号", "级别", "状态", "责任单位", "标题", "时限"):
        table.add_column(column)
    for inc in sorted(items, key=lambda i: -i.grade.rank):
        clocks = [c for c in services.store.clocks_for(inc.id) if c.status in (ClockStatus.running, ClockStatus.breached)]
        table.add_row(inc.id, inc.grade.zh, STATUS_NAMES_ZH[inc.status], inc.owner_unit or "", inc.title[:30],
                      "；".join(f"{WINDOW_NAMES_ZH[c.window]} {format_duration_zh(c.due_at - now)}" for c in clocks))
    out.print(table)


@app.command()
def act(
    incident_id: Annotated[str, typer.Argument(help="Incident id (INC-…).")],
    action: Annotated[str, typer.Argument(help="acknowledge, set_grade, set_occurrence_time, record_release, "
                                          "record_press_conference, record_response, mark_rumour_refuted, "
                                          "mark_needs_response, assign_unit, merge, split, close, reopen, "
                                          "policy_published, disclosure_request, extend_deadline")],
    actor: Annotated[str, typer.Option(help="Who acts (recorded in the audit log).")],
    grade: Annotated[str | None, typer.Option(help="For set_grade.")] = None,
    at: Annotated[str | None, typer.Option(help="Time of a release/press conference/response, or the occurrence time.")] = None,
    url: Annotated[str | None, typer.Option(help="Where the release/response was published.")] = None,
    channel: Annotated[str | None, typer.Option(help="Release channel, e.g. 政务微博.")] = None,
    unit: Annotated[str | None, typer.Option(help="For assign_unit: a unit id from alerts/units.yaml.")] = None,
    other: Annotated[str | None, typer.Option(help="For merge: the incident merged into this one.")] = None,
    posts: Annotated[str | None, typer.Option(help="For split: comma-separated post ids.")] = None,
    window: Annotated[str | None, typer.Option(
        help="For extend_deadline, e.g. disclosure_reply; with record_response / record_release, the document "
             "window it answers (disclosure_reply, policy_interpretation).")] = None,
    reason: Annotated[str | None, typer.Option(help="Why (set_grade, extend_deadline); kept in the audit log.")] = None,
    note: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Record a staff action on an incident (audited with who and when)."""
    from pydantic import ValidationError

    from sentinel.api.schemas import ActionRequest
    from sentinel.domain.incident import STATUS_NAMES_ZH
    from sentinel.incidents.actions import IncidentActions

    given = {"action": action, "actor": actor, "grade": grade, "at": _time(at), "url": url, "channel": channel, "unit": unit,
             "other": other, "note": note, "post_ids": posts.split(",") if posts else None, "window": window,
             "reason": reason}
    try:  # the API's checks: who acts, the parameter the action needs, a naive time as Asia/Shanghai
        request = ActionRequest.model_validate({k: v for k, v in given.items() if v is not None})
    except ValidationError as exc:
        raise _usage("; ".join(": ".join([*map(str, e["loc"]), e["msg"].removeprefix("Value error, ")])
                               for e in exc.errors())) from exc
    services = _services_or_fail()
    actions = IncidentActions(services.store, services.engine, services.ownership, services.clock)
    try:
        incident = actions.apply(incident_id, request.action, request.actor,
                                 **request.model_dump(exclude={"action", "actor"}, exclude_none=True))
    except (KeyError, ValueError, OverflowError) as exc:  # ActionError is a ValueError
        raise _fail(str(exc)) from exc
    served = not _drain_unless_served(services)
    out.print(f"{incident.id} {STATUS_NAMES_ZH[incident.status]} {incident.grade.zh}")
    if served:
        err.print(SERVER_WILL_PROCESS, soft_wrap=True)


@app.command("open-incident")
def open_incident(
    post_id: Annotated[str, typer.Argument(help="A stored post that belongs to no incident.")],
    actor: Annotated[str, typer.Option(help="Who opens it (recorded in the audit log).")],
) -> None:
    """Open an incident for a post grouping left alone, to track it (e.g. a 依申请公开 request)."""
    if not actor.strip():
        raise _fail("--actor 不能为空 / --actor must not be blank")
    services = _services_or_fail()
    try:
        incident = services.pipeline.incidents.open_for_post(post_id, actor.strip())
    except (LookupError, ValueError) as exc:
        raise _fail(str(exc).strip("'\"")) from exc
    out.print(f"已立案 opened {incident.id} · {incident.title}")


@app.command()
def oncall(
    when: Annotated[str, typer.Argument(help="`now` or an ISO time (naive = Asia/Shanghai).")] = "now",
) -> None:
    """Show who is on duty per unit and role (alerts/rota.yaml, else the example rota)."""
    from sentinel.alerts.policies import load_policies
    from sentinel.alerts.rota import load_oncall
    from sentinel.alerts.workdays import WorkdayCalendar
    from sentinel.domain.timeutil import SystemClock
    from sentinel.incidents.ownership import Ownership

    settings = get_settings()
    alerts_dir = settings.config_dir / "alerts"
    path = alerts_dir / "rota.yaml"
    note = ""
    if not path.exists():
        path, note = alerts_dir / "rota.example.yaml", "（示例值班表 example rota: copy it to alerts/rota.yaml）"
    try:
        ownership = Ownership.load(alerts_dir / "units.yaml")
        holidays = alerts_dir / "holidays.yaml"
        calendar = WorkdayCalendar.from_file(holidays) if holidays.exists() else WorkdayCalendar()
        roles = load_policies(settings.policies_file or alerts_dir / "policies.yaml").roles
        duty = load_oncall(path, ownership, calendar, roles)
    except (ConfigError, ValueError) as exc:
        raise _fail(str(exc)) from exc
    at = SystemClock().now() if when == "now" else _time(when)
    assert at is not None  # noqa: S101 - _time returns a value for a non-empty string
    table = Table(title=f"值班 on duty at {iso(at)} {note}")
    for column in ("单位", "值班员", "科室负责人", "分管领导"):
        table.add_column(column)
    for unit in ownership.units.values():
        cells = ["、".join(p.name for p in duty.holders(unit.id, role, at)) or "—"
                 for role in ("duty_officer", "office_head", "leader_in_charge")]
        table.add_row(unit.name, *cells)
    out.print(table)


@app.command()
def stats(
    since: Annotated[str | None, typer.Option(help="Period start (ISO; naive = Asia/Shanghai).")] = None,
    until: Annotated[str | None, typer.Option(help="Period end.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Timeliness for leaders: on-time rate per unit and window, median time to fulfil, breaches."""
    from sentinel.alerts.stats import timeliness

    services = _services_or_fail()
    report = timeliness(services.store, services.clock.now(), _time(since), _time(until))
    if as_json:
        _json_line(report.model_dump_json())
        return
    table = Table(title="回应时效 timeliness")
    for column in ("单位", "时限", "总数", "按时", "超时完成", "逾期未办", "进行中", "按时率", "中位用时(分)"):
        table.add_column(column)
    for w in report.windows:
        rate = f"{w.on_time_rate:.0%}" if w.on_time_rate is not None else "—"
        table.add_row(w.unit, w.window_zh, str(w.total), str(w.on_time), str(w.late), str(w.overdue), str(w.running),
                      rate, f"{w.median_minutes_to_fulfil:g}" if w.median_minutes_to_fulfil is not None else "—")
    out.print(table)
    if report.breaches:
        out.print(f"督办清单 breaches: {len(report.breaches)}")
        for b in report.breaches[:50]:
            stopped = {"incident_closed": "（超时后关闭）", "grade_or_need_changed": "（超时后调整级别）"}.get(b.cancelled or "", "")
            out.print(f"  {b.unit} · {b.window_zh} · {b.title[:30]} · 超时 {b.minutes_late:g} 分钟{stopped}")


@app.command()
def train(
    base: Annotated[Path | None, typer.Option(help="A local Hugging Face checkpoint folder to fine-tune (e.g. bert-base-chinese).")] = None,
    config: Annotated[Path | None, typer.Option(help="Training config JSON (seeds, sizes, epochs).")] = None,
    include_corrections: Annotated[bool, typer.Option("--include-corrections", help="Add staff corrections to the training data.")] = False,
    out: Annotated[Path | None, typer.Option(help="Where to write the model (default classify/model/).")] = None,
    real_text: Annotated[bool, typer.Option("--real-text", help="Refit only the linear head's topic and sentiment parts of the model in --out, with the real text in classify/data/real (a minute or two; network and grade unchanged).")] = False,
    rule_dials: Annotated[bool, typer.Option("--rule-dials", help="Only count the training labels' topic order again for the model in --out and tune the dials that act on its output (topic order, word-only grade) on dev (seconds).")] = False,
) -> None:
    """Train the topic/grade/sentiment model from classify/data (needs the `ml` extra)."""
    try:
        from sentinel.classify.train_cli import refit_real_text_main, retune_rule_dials_main, train_main
    except ImportError as exc:
        raise _fail(f"the `ml` extra is not installed: {exc}") from exc
    if real_text or rule_dials:
        if base is not None or config is not None:
            raise _fail("--real-text and --rule-dials refit an existing model: they take no --base or --config")
        refit = refit_real_text_main if real_text else retune_rule_dials_main
        try:
            refit(include_corrections, out, settings=get_settings(), console=out_console())
        except (ValueError, OSError) as exc:
            raise _fail(str(exc)) from exc
        return
    train_main(base, config, include_corrections, out, settings=get_settings(), console=out_console())


@app.command()
def evaluate(
    data: Annotated[Path, typer.Argument(metavar="DATA.jsonl", help="Labelled posts (topics, grade, sentiment).")],
    model: Annotated[Path | None, typer.Option(help="Model folder (default classify/model/).")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Per-topic P/R/F1, macro-F1, top-1, grade confusion, serious+ recall and false alarms."""
    try:
        from sentinel.classify.train_cli import evaluate_main
    except ImportError as exc:
        raise _fail(f"the `ml` extra is not installed: {exc}") from exc
    if not data.exists():
        raise _fail(f"找不到 {data} / not found")
    evaluate_main(data, model, as_json, settings=get_settings(), console=out_console())


def out_console() -> Console:
    return out


@app.command()
def token(rotate: Annotated[bool, typer.Option("--rotate", help="Replace the API write token.")] = False) -> None:
    """Create (first time) or rotate the API write token; it is shown once."""
    from sentinel.api.auth import ensure_token, rotate_token
    from sentinel.wiring import open_store

    settings = get_settings()
    if settings.api_token is not None:
        # The next start writes SENTINEL_API_TOKEN's hash back: a rotation here would be undone.
        raise _fail("令牌由环境变量 SENTINEL_API_TOKEN 指定：请更换该变量的值并重启 / the token comes from "
                    "SENTINEL_API_TOKEN: change that variable and restart")
    store = open_store(settings)
    new = rotate_token(store) if rotate else ensure_token(store)
    if new is None:
        out.print("令牌已存在；如遗失请使用 --rotate / a token exists; use --rotate to replace it")
        return
    out.print(new)


def _json_line(text: str) -> None:
    """--json output is JSON lines on stdout: one object per line, for scripts."""
    sys.stdout.write(text + "\n")


def _check_input(path: Path) -> None:
    if not path.exists():
        raise _fail(f"找不到 {path} / not found")
    if path.is_dir():
        raise _fail(f"{path} 是文件夹，需要一个 JSONL 文件 / is a folder, not a JSONL file")


def _open_output(path: Path | None) -> TextIO:
    if path is None:
        return sys.stdout
    try:
        return path.open("w", encoding="utf-8")
    except OSError as exc:
        raise _fail(_os_error(exc)) from exc


def _os_error(exc: OSError) -> str:
    """One line, e.g. `无法读写 / cannot use /x/out.jsonl：No such file or directory`."""
    return f"无法读写 / cannot use {exc.filename or ''}：{exc.strerror or exc}"


def _time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return parse_iso(value)
    except ValueError as exc:
        raise _usage(f"bad time {value!r}: {exc}") from exc


SERVER_WILL_PROCESS = ("正在运行的 sentinel run 将处理这些更新（分类、归并、计时）/ "
                       "the running server (sentinel run) will process them")


def _drain_unless_served(services: Any) -> bool:
    """Run the pipeline here unless a running server already does (one runner per data directory:
    grouping state lives in the runner's memory). That server polls the store and picks the new rows up.
    Returns whether it ran here."""
    from sentinel.runtime import pipeline_lock

    with pipeline_lock(services.settings.data_dir) as held:
        if held:
            services.pipeline.drain()
        return bool(held)


def _services_or_fail() -> Any:
    from sentinel.ingest.demo import running_demo_clock
    from sentinel.wiring import build_services, open_store

    try:
        settings = get_settings()
        store = open_store(settings)
        # Beside a demo (its data directory), deadlines count on the demo's clock, as the console's do.
        return build_services(settings, running_demo_clock(store), store)
    except ConfigError as exc:
        raise _fail(str(exc)) from exc


def main() -> None:
    try:
        app()
    except ConfigError as exc:  # from settings or a config file read outside a command's own guard
        raise SystemExit(_fail(str(exc)).exit_code) from None


if __name__ == "__main__":
    main()
