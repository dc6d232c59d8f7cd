"""FastAPI application: REST under /api/v1, health probes, OpenAPI docs and the console overview."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta
from typing import Annotated, Any

import swagger_ui_bundle
from fastapi import Depends, FastAPI, HTTPException, Query, Request, Security
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from sentinel import __version__
from sentinel.alerts.notifiers.dispatch import DeliveryFailure
from sentinel.alerts.outbox import list_delivery_failures
from sentinel.alerts.stats import Timeliness, timeliness
from sentinel.api import console
from sentinel.api.auth import check_token
from sentinel.api.guard import WriteGuard
from sentinel.api.schemas import (
    ActionRequest,
    ClockView,
    CorrectionRequest,
    IncidentDetail,
    IncidentPage,
    IngestItem,
    IngestResponse,
    NotificationView,
    OpenIncidentRequest,
    PostPage,
    PostView,
    RejectPage,
)
from sentinel.classify.corrections import CorrectionError, correct
from sentinel.domain.alerting import ClockStatus
from sentinel.domain.classification import Classification
from sentinel.domain.codes import Grade
from sentinel.domain.incident import Incident, IncidentStatus
from sentinel.domain.post import Reject
from sentinel.domain.timeutil import ensure_aware, format_duration_zh
from sentinel.incidents.actions import ActionError, IncidentActions
from sentinel.ingest.decode import decode_bytes
from sentinel.store.base import AddResult, PostQuery, StoredPost
from sentinel.wiring import Services

MAX_BODY_BYTES = 20 * 1024 * 1024
MAX_SMALL_BODY_BYTES = 1024 * 1024  # an action, a correction: a split of thousands of posts fits
POSTS_PATH = "/api/v1/posts"
MAX_BATCH = 5000
RETRY_AFTER_S = 5  # seconds a client waits after a 503 (database locked by another process)
MAX_AHEAD = timedelta(days=1)  # a staff action's time further ahead is a typo (as for a post's time)


def _view(sp: StoredPost) -> PostView:
    return PostView(post=sp.post, classification=sp.classification, incident_id=sp.incident_id,
                    duplicate_count=sp.dup_count)


def create_app(services: Services) -> FastAPI:
    app = FastAPI(
        title="Sentinel API",
        version=__version__,
        description="舆情监测与回应时限 — posts in, incidents and response clocks out. "
        "Write endpoints need `Authorization: Bearer <token>` (created on first run; the Authorize button).",
        docs_url=None, redoc_url=None,  # served below from local files: an office intranet reaches no CDN
    )
    store = services.store
    actions = IncidentActions(store, services.engine, services.ownership, services.clock)
    bearer = HTTPBearer(auto_error=False, description="API 写入令牌 / the API write token")
    app.mount("/docs-assets", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title="Sentinel API 文档",
                                   swagger_js_url="/docs-assets/swagger-ui-bundle.js",
                                   swagger_css_url="/docs-assets/swagger-ui.css",
                                   swagger_favicon_url="/docs-assets/favicon-32x32.png")

    def require_token(credentials: HTTPAuthorizationCredentials | None = Security(bearer)) -> str:  # noqa: B008
        token = credentials.credentials.strip() if credentials else None  # the scheme is case-insensitive (RFC 7235)
        if not check_token(store, token):
            raise HTTPException(status_code=401, detail="missing or invalid bearer token",
                                headers={"WWW-Authenticate": "Bearer"})
        return "api"

    # -- probes ------------------------------------------------------------------------------------
    @app.get("/healthz", tags=["health"])
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", tags=["health"])
    def readyz() -> JSONResponse:
        details: dict[str, Any] = dict(services.health.snapshot())
        try:
            details.update(store.stats())
            ok = True
        except Exception as exc:  # noqa: BLE001 - report, don't crash the probe
            details["store_error"] = str(exc)
            ok = False
        if services.health.stalled():
            ok = False
            details["watchdog"] = "pipeline loop has not ticked recently"
        return JSONResponse({"status": "ready" if ok else "not_ready", "details": details}, status_code=200 if ok else 503)

    # -- ingest ------------------------------------------------------------------------------------
    @app.post(POSTS_PATH, tags=["posts"], response_model=IngestResponse, dependencies=[Depends(require_token)],
              openapi_extra={"requestBody": {"content": {"application/json": {"schema": {
                  "oneOf": [{"$ref": "#/components/schemas/PostIn"},
                            {"type": "array", "items": {"$ref": "#/components/schemas/PostIn"}}]}}}}})
    async def ingest_posts(request: Request) -> JSONResponse:
        body = await _read_bounded(request)
        # Decoding, normalising and SQLite writes block: off the event loop, so probes and reads go on.
        return await run_in_threadpool(ingest_body, body)

    def ingest_body(body: bytes) -> JSONResponse:
        try:
            text, _encoding = decode_bytes(body)
        except UnicodeDecodeError:
            store.add_rejects([services.normaliser.reject_undecodable("http", body)])
            raise HTTPException(status_code=400, detail="正文既不是 UTF-8 也不是 GB18030 / body is neither UTF-8 nor "
                                                        "GB18030") from None
        try:
            payload = json.loads(text)
        except json.JSONDecodeError as exc:
            reject = services.normaliser.reject("http", f"invalid_json: {exc.msg} (column {exc.colno})", text)
            store.add_rejects([reject])
            raise HTTPException(status_code=400, detail=f"malformed JSON: {exc.msg} at column {exc.colno}") from exc
        except (RecursionError, ValueError) as exc:  # nested too deeply; an integer over 4300 digits
            why = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
            store.add_rejects([services.normaliser.reject("http", f"invalid_json: {why}", text)])
            raise HTTPException(status_code=400, detail=f"JSON 无法解析 / malformed JSON: {why}") from exc
        batch = _posts_in(payload)
        if len(batch) > MAX_BATCH:
            raise HTTPException(status_code=413, detail=f"at most {MAX_BATCH} posts per request")
        report = services.ingest.ingest_objects(batch, "http")
        out = []
        for index, result in enumerate(report.results):
            if isinstance(result, Reject):
                out.append(IngestItem(index=index, id=result.post_id, status="rejected", error=result.reason))
            else:
                assert isinstance(result, AddResult)  # noqa: S101 - the report holds only these two
                out.append(IngestItem(index=index, id=result.post_id, status=result.status.value,
                                      duplicate_of=result.duplicate_of))
        response = IngestResponse(stored=report.stored + report.id_conflicts, duplicates=report.duplicates,
                                  rejected=report.rejected, items=out)
        status = 202 if report.stored or report.duplicates or report.id_conflicts else 422
        return JSONResponse(response.model_dump(mode="json"), status_code=status)

    # -- posts and rejects -------------------------------------------------------------------------
    @app.get("/api/v1/posts", tags=["posts"], response_model=PostPage)
    def list_posts(
        q: str | None = None, since: datetime | None = None, until: datetime | None = None,
        topic: str | None = None, grade: str | None = None, source: str | None = None,
        region: str | None = None, incident: str | None = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50, offset: Annotated[int, Query(ge=0)] = 0,
    ) -> PostPage:
        try:
            page = store.search_posts(PostQuery(q, _aware(since), _aware(until), topic, grade, source, region,
                                                incident, limit, offset))
        except ValueError as exc:  # a search term the full-text index cannot take
            raise HTTPException(status_code=400, detail=str(exc)) from exc
        return PostPage(total=page.total, limit=limit, offset=offset, search=page.note,
                        items=[_view(p) for p in page.items])

    @app.get("/api/v1/posts/{post_id}", tags=["posts"], response_model=PostView)
    def get_post(post_id: str) -> PostView:
        found = store.get_post(post_id)
        if found is None:
            raise HTTPException(status_code=404, detail="no such post")
        return _view(found)

    @app.get("/api/v1/rejects", tags=["posts"], response_model=RejectPage)
    def list_rejects(limit: Annotated[int, Query(ge=1, le=500)] = 50, offset: Annotated[int, Query(ge=0)] = 0) -> RejectPage:
        page = store.list_rejects(limit, offset)
        return RejectPage(total=page.total, limit=limit, offset=offset, items=page.items)

    @app.post("/api/v1/posts/{post_id}/correction", tags=["posts"], response_model=Classification,
              dependencies=[Depends(require_token)])
    def correct_post(post_id: str, body: CorrectionRequest) -> Classification:
        """A duty officer's correction: stored as the post's classification, kept as a labelled
        example for `sentinel train --include-corrections`, audited."""
        try:
            return correct(store, services.settings.data_dir, post_id, topics=body.topics, grade=body.grade,
                           sentiment=body.sentiment, actor=body.actor, at=services.clock.now(), note=body.note or "")
        except CorrectionError as exc:
            raise HTTPException(status_code=404 if "no such post" in str(exc) else 422, detail=str(exc)) from exc

    @app.post("/api/v1/posts/{post_id}/incident", tags=["incidents"], response_model=Incident,
              dependencies=[Depends(require_token)])
    def open_incident(post_id: str, body: OpenIncidentRequest) -> Incident:
        """Open an incident for a post grouping left alone, to track it (e.g. a 依申请公开 request in a
        12345 record, then `disclosure_request`). Audited."""
        try:
            incident = services.pipeline.incidents.open_for_post(post_id, body.actor)
        except LookupError as exc:
            raise HTTPException(status_code=404, detail=str(exc)) from exc
        except ValueError as exc:
            raise HTTPException(status_code=409, detail=str(exc)) from exc
        services.wake.set()
        return incident

    # -- incidents and clocks ----------------------------------------------------------------------
    @app.get("/api/v1/incidents", tags=["incidents"], response_model=IncidentPage)
    def list_incidents(
        status: IncidentStatus | None = None, grade: Grade | None = None, order: str = "last_seen",
        limit: Annotated[int, Query(ge=1, le=500)] = 50, offset: Annotated[int, Query(ge=0)] = 0,
    ) -> IncidentPage:
        if order not in ("last_seen", "heat", "first_seen"):
            raise HTTPException(status_code=422, detail="order must be last_seen, heat or first_seen")
        items, total = store.list_incidents(status=status and status.value, grade=grade and grade.value,
                                            limit=limit, offset=offset, order=order)
        return IncidentPage(total=total, limit=limit, offset=offset, items=items)

    def clock_views(incident_id: str | None = None, status: str | None = None, limit: int = 200,
                    offset: int = 0) -> list[ClockView]:
        now = services.clock.now()
        clocks = store.clocks_for(incident_id) if incident_id else store.list_clocks(status, limit, offset)
        return [ClockView(clock=c, remaining_seconds=(c.due_at - now).total_seconds(),
                          remaining_zh=format_duration_zh(c.due_at - now)) for c in clocks]

    @app.get("/api/v1/incidents/{incident_id}", tags=["incidents"], response_model=IncidentDetail)
    def get_incident(incident_id: str) -> IncidentDetail:
        incident = store.get_incident(incident_id)
        if incident is None:
            raise HTTPException(status_code=404, detail="no such incident")
        posts = store.search_posts(PostQuery(incident_id=incident_id, limit=200)).items
        notes = [NotificationView(notification=n, delivered_at=d, last_error=e)
                 for n, d, e in store.list_notifications(incident_id)]
        return IncidentDetail(incident=incident, clocks=clock_views(incident_id), posts=[_view(p) for p in posts],
                              notifications=notes, audit=store.list_audit(incident_id))

    @app.get("/api/v1/clocks", tags=["incidents"], response_model=list[ClockView])
    def list_clocks(
        status: ClockStatus | None = None, limit: Annotated[int, Query(ge=1, le=1000)] = 200,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> list[ClockView]:
        """Running and overdue clocks first (soonest due first), then finished ones; page with offset."""
        return clock_views(status=status.value if status else None, limit=limit, offset=offset)

    @app.get("/api/v1/notifications/failures", tags=["incidents"], response_model=list[DeliveryFailure])
    def list_delivery_failures_(
        open_only: bool = True, incident_id: str | None = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
    ) -> list[DeliveryFailure]:
        """The failure list: notifications a channel could not deliver (4xx, no address, still failing
        after retries). `open_only`: leave out those delivered after all."""
        return list_delivery_failures(store, incident_id=incident_id, open_only=open_only, limit=limit)

    @app.get("/api/v1/notifications", tags=["incidents"], response_model=list[NotificationView])
    def list_notifications(limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[NotificationView]:
        return [NotificationView(notification=n, delivered_at=d, last_error=e)
                for n, d, e in store.list_notifications(limit=limit)]

    @app.post("/api/v1/incidents/{incident_id}/actions", tags=["incidents"], response_model=Incident,
              dependencies=[Depends(require_token)])
    def incident_action(incident_id: str, body: ActionRequest) -> Incident:
        """Staff actions: acknowledge, set_grade (grade), set_occurrence_time (at), record_release (url,
        channel, at), record_press_conference (at), record_response (url, at), mark_rumour_refuted,
        mark_needs_response, assign_unit (unit), merge (other), split (post_ids), close, reopen."""
        params = body.model_dump(exclude={"action", "actor"}, exclude_none=True)
        if body.at is not None and body.at - services.clock.now() > MAX_AHEAD:
            raise HTTPException(status_code=422, detail="时间晚于当前时间一天以上 / time is more than a day ahead")
        try:
            incident = actions.apply(incident_id, body.action, body.actor, **params)
        except ActionError as exc:
            status = 404 if str(exc).startswith("no such incident") else 422
            raise HTTPException(status_code=status, detail=str(exc)) from exc
        except KeyError as exc:  # a parameter the request schema does not know the action needs
            raise HTTPException(status_code=422, detail=f"缺少参数 {exc} / missing parameter {exc}") from exc
        except (ValueError, OverflowError) as exc:  # a value the action layer cannot use; nothing was changed
            raise HTTPException(status_code=422, detail=f"参数无效 / invalid parameter: {exc}") from exc
        services.wake.set()
        return incident

    @app.get("/api/v1/stats/timeliness", tags=["statistics"], response_model=Timeliness)
    def stats(since: datetime | None = None, until: datetime | None = None) -> Timeliness:
        """On-time rate per unit and window, median time to fulfil, and the breach (督办) list."""
        return timeliness(store, services.clock.now(), _aware(since), _aware(until))

    # -- console -----------------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def overview() -> str:
        return console.overview(services)

    @app.get("/rejects", response_class=HTMLResponse, include_in_schema=False)
    def rejects_page() -> str:
        return console.rejects_page(services)

    @app.get("/incidents/{incident_id}", response_class=HTMLResponse, include_in_schema=False)
    def incident_page(incident_id: str) -> HTMLResponse:
        page = console.incident_page(services, incident_id)
        if page is None:
            return HTMLResponse("<!doctype html><html lang='zh-CN'><meta charset='utf-8'><title>未找到事件</title>"
                                "<h1>未找到该事件</h1><p><a href='/'>返回值班台</a></p></html>", status_code=404)
        return HTMLResponse(page)

    app.add_exception_handler(sqlite3.OperationalError, _database_unavailable)
    app.add_middleware(WriteGuard, authorised=lambda token: check_token(store, token),
                       max_bytes=lambda path: MAX_BODY_BYTES if path == POSTS_PATH else MAX_SMALL_BODY_BYTES,
                       streams_itself=lambda path: path == POSTS_PATH)
    _add_post_schema(app)
    return app


async def _read_bounded(request: Request) -> bytes:
    """The body, refused as soon as it grows past MAX_BODY_BYTES (not after reading it all)."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise HTTPException(status_code=413, detail=f"body over {MAX_BODY_BYTES} bytes; split the batch")
    return bytes(body)


def _posts_in(payload: Any) -> list[Any]:
    """A list of posts, an envelope {"posts": [...]} (which has no `text`), or one post: a post's
    own `posts` field (a count, say) is an unknown field like any other, kept with the post."""
    if isinstance(payload, list):
        return payload
    if isinstance(payload, dict) and "text" not in payload and isinstance(payload.get("posts"), list):
        return list(payload["posts"])
    return [payload]


def _database_unavailable(request: Request, exc: Exception) -> JSONResponse:
    """A database locked by another process past the busy timeout: ask the client to retry."""
    message = str(exc)
    if "locked" in message or "busy" in message:
        return JSONResponse({"detail": "数据库繁忙，请稍后重试 / database is busy, retry later"}, status_code=503,
                            headers={"Retry-After": str(RETRY_AFTER_S)})
    return JSONResponse({"detail": f"数据库错误 / database error: {message}"}, status_code=500)


def _aware(value: datetime | None) -> datetime | None:
    """A time given without offset means Asia/Shanghai, as everywhere in Sentinel."""
    return ensure_aware(value) if value is not None else None


def _add_post_schema(app: FastAPI) -> None:
    """Publish the PostIn input schema in OpenAPI (the endpoint reads a raw body to handle GBK)."""
    from sentinel.domain.post import PostIn

    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = original()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        post_schema = PostIn.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, definition in post_schema.pop("$defs", {}).items():
            components.setdefault(name, definition)
        components["PostIn"] = post_schema
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
