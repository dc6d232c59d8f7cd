"""`sentinel …` — the command line.

Exit codes scripts can rely on: 0 success; 1 failure (bad configuration, unreadable input);
2 usage error (typer); 3 done, but some input lines were rejected (they are kept, see `sentinel rejects`).
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from sentinel.domain.timeutil import iso, parse_iso
from sentinel.settings import Settings, get_settings
from sentinel.yamlconf import ConfigError

EXIT_FAILURE = 1
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
    err.print(f"[red]错误 / error:[/red] {message}")
    return typer.Exit(EXIT_FAILURE)


@app.command()
def run(
    demo: Annotated[bool, typer.Option("--demo", help="Replay ingest/samples/demo.jsonl on an accelerated clock.")] = False,
    host: Annotated[str | None, typer.Option(help="Bind address (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000).")] = None,
    speed: Annotated[float | None, typer.Option(help="Demo speed factor (default 60: one hour per minute).")] = None,
) -> None:
    """Run every stage in one process (SQLite store) and serve the API and console."""
    from sentinel.runtime import run as run_embedded

    settings = _settings(host, port)
    if speed:
        settings = settings.model_copy(update={"demo_speed": speed})
    try:
        run_embedded(settings, demo, say=lambda m: out.print(m, highlight=False, soft_wrap=True))
    except ConfigError as exc:
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
            report = services.ingest.ingest_lines(lines, progress=lambda n: bar.advance(task, n))
            for key, value in report.as_dict().items():
                if isinstance(value, dict):
                    for reason, count in value.items():
                        total[key][reason] = total[key].get(reason, 0) + count
                else:
                    total[key] += value
    if process:
        services.pipeline.drain()
    if as_json:
        _json_line(json.dumps(total, ensure_ascii=False))
    else:
        out.print(f"已存储 stored {total['stored']} · 重复 duplicates {total['duplicates']} · "
                  f"ID冲突 id conflicts {total['id_conflicts']} · 拒收 rejected {total['rejected']}")
        for reason, count in total["reject_reasons"].items():
            out.print(f"  拒收原因 {reason}: {count}")
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
    from sentinel.ingest.text import to_halfwidth, to_simplified
    from sentinel.store.base import PostQuery

    services = _services_or_fail()
    q = to_simplified(to_halfwidth(query)) if query else None
    try:
        page = services.store.search_posts(PostQuery(q, _time(since), _time(until), topic, grade, source, region,
                                                     None, limit, offset))
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
        raise _fail(f"unknown schema {name!r}; choose one of {', '.join(models)}")
    sys.stdout.write(json.dumps(models[name].model_json_schema(), ensure_ascii=False, indent=2) + "\n")


@app.command()
def classify(
    input_path: Annotated[Path, typer.Argument(metavar="INPUT.jsonl", help="Posts, one JSON object per line.")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write here instead of stdout.")] = None,
) -> None:
    """Classify posts: one output line per input line, same order (id, topics, grade, …; or id + error)."""
    from sentinel.classify.batch import classify_lines
    from sentinel.classify.ensemble import build_classifier
    from sentinel.classify.taxonomy import load_taxonomy
    from sentinel.domain.timeutil import SystemClock
    from sentinel.wiring import normaliser_for

    if not input_path.exists():
        raise _fail(f"找不到 {input_path} / not found")
    settings = get_settings()
    try:
        classifier = build_classifier(settings, load_taxonomy(settings.config_dir / "classify" / "taxonomy.yaml"))
    except (ConfigError, ValueError) as exc:
        raise _fail(str(exc)) from exc
    sink = output.open("w", encoding="utf-8") if output else sys.stdout
    try:
        errors = classify_lines(input_path, classifier, normaliser_for(settings, SystemClock()), sink)
    finally:
        if output:
            sink.close()
    if errors:
        err.print(f"{errors} 行无法分类 lines could not be classified (see their `error`)")
        raise typer.Exit(EXIT_PARTIAL)


@app.command()
def token(rotate: Annotated[bool, typer.Option("--rotate", help="Replace the API write token.")] = False) -> None:
    """Create (first time) or rotate the API write token; it is shown once."""
    from sentinel.api.auth import ensure_token, rotate_token
    from sentinel.wiring import open_store

    store = open_store(get_settings())
    new = rotate_token(store) if rotate else ensure_token(store)
    if new is None:
        out.print("令牌已存在；如遗失请使用 --rotate / a token exists; use --rotate to replace it")
        return
    out.print(new)


def _json_line(text: str) -> None:
    """--json output is JSON lines on stdout: one object per line, for scripts."""
    sys.stdout.write(text + "\n")


def _time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return parse_iso(value)
    except ValueError as exc:
        raise _fail(f"bad time {value!r}: {exc}") from exc


def _services_or_fail() -> Any:
    from sentinel.wiring import build_services

    try:
        return build_services(get_settings())
    except ConfigError as exc:
        raise _fail(str(exc)) from exc


def main() -> None:
    app()


if __name__ == "__main__":
    main()
