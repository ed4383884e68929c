"""The FastAPI application and router of fyrules' web adapter.

:func:`create_app` builds a whole service (router, lifespan, size limits, security headers,
access log); :func:`api_router` is the router alone, for a host application that mounts it
and starts and stops the :class:`~fyrules_adapters.web.service.CaseService` itself. The API's
paths are under ``/api``; the server-rendered pages (:mod:`.pages`) are a router beside it.
"""

# no `from __future__ import annotations`: FastAPI reads the routes' annotations, whose
# dependencies are local functions
import contextlib
import datetime as dt
import json
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated, Any

import attrs
from fastapi import APIRouter, Depends, FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from fyrules import FyrulesError, PublishError, Rulebook, __version__

from . import models
from .applicant import ApplicantDesk, NotFound, TooManyFailures
from .codes import prepare
from .limits import Limit
from .middleware import AccessLog, BodyLimit, SecurityHeaders
from .pages import pages_router, template_failed
from .service import CaseService, parse_moment
from .tokens import Grant, TokenBook

NDJSON = "application/x-ndjson"
MONTH = r"^(19|20)\d\d-(0[1-9]|1[0-2])$"


@attrs.frozen(slots=True)
class Settings:
    """Limits of a public service (operational settings, not policy)."""

    max_body_bytes: int = 16 * 1024 * 1024  # POST /api/events: about 60,000 events
    max_public_body_bytes: int = 4 * 1024  # POST /api/public/progress
    failures_per_client: Limit = attrs.field(factory=lambda: Limit(failures=10, window=600.0))
    failures_per_case: Limit = attrs.field(factory=lambda: Limit(failures=5, window=900.0))


class ApiError(Exception):
    """An answer other than 200: status, code, and the message in Chinese and English."""

    def __init__(
        self, status: int, code: str, zh: str, en: str, headers: dict[str, str] | None = None
    ):
        self.status, self.code, self.zh, self.en, self.headers = status, code, zh, en, headers

    def response(self) -> JSONResponse:
        body = {"error": self.code, "message_zh": self.zh, "message_en": self.en}
        return JSONResponse(body, status_code=self.status, headers=self.headers)


def _errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    described = {
        400: "请求体不是 JSON 数组或 NDJSON / the body is not a JSON array or NDJSON",
        401: "缺少或无效的令牌 / missing or unknown bearer token",
        403: "令牌的角色或部门不允许 / the token's role or departments do not allow it",
        404: "未找到 / not found",
        413: "请求体过大 / request body too large",
        422: "参数无效 / invalid parameters",
        429: "失败次数过多，请按 Retry-After 稍后再试 / too many failures: retry after Retry-After seconds",
    }
    return {s: {"model": models.ErrorBody, "description": described[s]} for s in statuses}


NOT_FOUND_PROGRESS = ApiError(
    404,
    "NOT-FOUND",
    "案件编号或查询码不正确，请核对受理通知书上的编号和查询码",
    "the case number or the query code is wrong: check both on the acceptance notice",
)


def too_many_failures(wait: int) -> ApiError:
    return ApiError(
        429,
        "TOO-MANY-FAILURES",
        f"查询失败次数过多，请 {wait} 秒后再试",
        f"too many failed queries: try again in {wait} seconds",
        {"Retry-After": str(wait)},
    )


def applicant_desk(service: CaseService, settings: Settings) -> ApplicantDesk:
    """The applicant's query with ``settings``' failure limits."""
    return ApplicantDesk(service, settings.failures_per_client, settings.failures_per_case)


def api_router(
    service: CaseService,
    tokens: TokenBook,
    settings: Settings | None = None,
    desk: ApplicantDesk | None = None,
) -> APIRouter:
    """The ``/api`` routes over ``service``, guarded by ``tokens``; ``desk`` answers the
    applicant's query (pass the pages' own, so both count the same failures)."""
    settings = settings or Settings()
    desk = desk or applicant_desk(service, settings)
    bearer = HTTPBearer(
        auto_error=False,
        description="`fyrules token add` 生成的令牌 / a token made by `fyrules token add`",
    )
    router = APIRouter(prefix="/api")

    def role(*roles: str) -> Callable[..., Awaitable[Grant]]:
        async def grant(
            credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
        ) -> Grant:
            if credentials is None:
                raise ApiError(
                    401,
                    "UNAUTHORIZED",
                    "需要令牌：在 Authorization 头中写 Bearer 令牌",
                    "a token is needed: send Authorization: Bearer TOKEN",
                    {"WWW-Authenticate": "Bearer"},
                )
            found = tokens.check(credentials.credentials)
            if found is None:
                raise ApiError(
                    401,
                    "UNAUTHORIZED",
                    "令牌无效，请向管理员申请（fyrules token add）",
                    "unknown token: ask the administrator for one (fyrules token add)",
                    {"WWW-Authenticate": 'Bearer error="invalid_token"'},
                )
            if found.role not in roles:
                raise ApiError(
                    403,
                    "FORBIDDEN",
                    f"此操作需要角色：{'、'.join(roles)}",
                    f"this needs the role {' or '.join(roles)}",
                )
            return found

        return grant

    def reach(grant: Grant, dept: str | None) -> None:
        """403 unless the token reaches department ``dept`` (a token may be limited to some)."""
        if not grant.covers(dept):
            raise ApiError(
                403,
                "FORBIDDEN",
                "此令牌不能查看该部门的案件和发现",
                "this token may not read that department's cases and findings",
            )

    def moment(text: str | None, name: str) -> dt.datetime | None:
        if text is None:
            return None
        try:
            return parse_moment(text, service.zone)
        except ValueError:
            raise ApiError(
                422,
                "INVALID-VALUE",
                f"{name} 不是 ISO 时间（如 2025-10-09T18:00:00+08:00）",
                f"{name} is not an ISO date-time (such as 2025-10-09T18:00:00+08:00)",
            ) from None

    async def computed(fn: Callable[..., Any], *args: Any) -> Any:
        """``fn`` on the store's thread; fyrules' refusals become 422."""
        try:
            return await service.run(fn, *args)
        except (FyrulesError, ValueError, OverflowError) as exc:
            problem = getattr(exc, "problem", None)
            zh = problem.message_zh if problem is not None else str(exc)
            en = problem.message_en if problem is not None else str(exc)
            code = problem.code if problem is not None else "INVALID-VALUE"
            raise ApiError(422, code, zh, en) from None

    # --- health ---------------------------------------------------------------------------------

    @router.get(
        "/health",
        summary="服务状态、规则集版本与留痕链头 / status, rulebook version and trail head",
        response_model=models.Health,
        responses=_errors(401, 403),
        tags=["service"],
    )
    async def health(
        _: Annotated[Grant, Depends(role("intake", "staff", "supervisor"))],
    ) -> Any:
        return await service.run(service.health)

    # --- events ---------------------------------------------------------------------------------

    @router.post(
        "/events",
        summary="提交事件（JSON 数组或 NDJSON），逐条答复 / post events (a JSON array or NDJSON), "
        "answered one by one",
        description=(
            "每个事件按 design.md 的事件约定校验，与 `fyrules evaluate` 相同：受理、拒收（附原因）"
            "或重复。受理事件（accept）的答复带有申请人的查询码，仅此一次。\n\n"
            "Each event is checked as `fyrules evaluate` checks it (design.md's event "
            "contract): accepted, rejected with its reason, or a duplicate. The answer to an "
            "`accept` event carries the applicant's query code, given this once."
        ),
        response_model=models.EventsAnswer,
        responses=_errors(400, 401, 403, 413),
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Event"}}
                    },
                    NDJSON: {"schema": {"type": "string"}},
                },
            }
        },
        tags=["cases"],
    )
    async def post_events(
        request: Request,
        grant: Annotated[Grant, Depends(role("intake"))],
    ) -> Any:
        body = await request.body()
        events = _events_of(body, request.headers.get("content-type", ""))
        results = await service.run(service.feed, events, grant.depts)
        # the applicants' codes of accepted cases: hashed off the store's thread, then kept,
        # before the answer goes back
        issuing = [r for r in results if r.pop("issue_code", False)]
        if issuing:
            fresh = await run_in_threadpool(lambda: [prepare() for _ in issuing])
            kept = await service.run(
                service.keep_codes,
                [(r["case"], record) for r, (_, record) in zip(issuing, fresh, strict=True)],
            )
            for r, (code, _) in zip(issuing, fresh, strict=True):
                if r["case"] in kept:
                    r["query_code"] = code
        counts = {"accepted": 0, "rejected": 0, "duplicate": 0}
        for r in results:
            counts[r["outcome"]] += 1
        return {
            "accepted": counts["accepted"],
            "rejected": counts["rejected"],
            "duplicates": counts["duplicate"],
            "results": results,
        }

    # --- cases and findings ---------------------------------------------------------------------

    @router.get(
        "/cases/{case}",
        summary="案件详情：状态、环节、时钟、期限与发现 / a case: state, stages, clock, "
        "deadlines and findings",
        response_model=models.CaseAnswer,
        responses=_errors(401, 403, 404, 422),
        tags=["cases"],
    )
    async def get_case(
        case: Annotated[str, Path(min_length=1, max_length=200)],
        grant: Annotated[Grant, Depends(role("staff", "supervisor"))],
        as_of: Annotated[
            str | None, Query(max_length=64, description="截至时间（ISO） / as of (ISO)")
        ] = None,
    ) -> Any:
        when = moment(as_of, "as_of")
        known, dept = await service.run(service.case_dept, case)
        if known:
            reach(grant, dept)
        answer = await computed(service.case, case, when) if known else None
        if answer is None:
            raise ApiError(404, "NOT-FOUND", f"没有案件 {case}", f"no case {case}")
        return answer

    @router.get(
        "/findings",
        summary="实时监察清单（提示、黄牌、红牌） / the live supervision list (prompt, yellow, "
        "red card)",
        response_model=models.FindingsAnswer,
        responses=_errors(401, 403, 422),
        tags=["supervision"],
    )
    async def get_findings(
        grant: Annotated[Grant, Depends(role("supervisor"))],
        as_of: Annotated[
            str | None,
            Query(
                max_length=64, description="截至时间（ISO），默认现在 / as of (ISO), default now"
            ),
        ] = None,
        dept: Annotated[str | None, Query(max_length=200, description="部门 / department")] = None,
        window: Annotated[str | None, Query(max_length=200, description="窗口 / window")] = None,
    ) -> Any:
        when = moment(as_of, "as_of") or service.clock()
        if dept is not None:
            reach(grant, dept)
        found = await computed(service.findings, when, dept, window, grant.depts)
        return {"as_of": when.isoformat(), "count": len(found), "findings": found}

    @router.get(
        "/deadline",
        summary="事项在某时受理的法定与承诺截止日 / statutory and committed due dates of an item "
        "accepted at a time",
        response_model=models.Deadline,
        responses=_errors(401, 403, 422),
        tags=["catalog"],
    )
    async def get_deadline(
        _: Annotated[Grant, Depends(role("intake", "staff", "supervisor"))],
        item: Annotated[
            str, Query(min_length=1, max_length=200, description="事项编码 / item code")
        ],
        accepted: Annotated[
            str, Query(min_length=1, max_length=64, description="受理时间（ISO） / accepted at")
        ],
    ) -> Any:
        when = moment(accepted, "accepted")
        clock = await computed(service.rulebook.deadline, item, when)
        return clock.to_dict()

    # --- public: catalog, rankings, the applicant's query ---------------------------------------

    @router.get(
        "/items",
        summary="事项目录 / the item catalog",
        response_model=list[models.ItemSummary],
        tags=["public"],
    )
    async def get_items() -> Any:
        return [_summary(item) for item in service.rulebook.items.values()]

    @router.get(
        "/items/{code}",
        summary="一个事项的公示内容（一事一表，十公开） / one item's publicity sheet as data",
        response_model=models.Item,
        responses=_errors(404),
        tags=["public"],
    )
    async def get_item(code: Annotated[str, Path(min_length=1, max_length=200)]) -> Any:
        item = service.rulebook.items.items.get(code)
        if item is None:
            raise ApiError(
                404, "NOT-FOUND", f"目录中没有事项 {code}", f"no item {code} in the catalog"
            )
        return item.model_dump(mode="json")

    @router.get(
        "/rankings/{month}",
        summary="月度效能指数：评分卡与排名 / the month's efficiency index: scorecards and ranking",
        response_model=models.Ranking,
        responses=_errors(422),
        tags=["public"],
    )
    async def get_ranking(
        month: Annotated[str, Path(pattern=MONTH, description="YYYY-MM")],
    ) -> Any:
        return await computed(service.rankings, month)

    @router.post(
        "/public/progress",
        summary="申请人查询办理进度（案件编号与查询码） / the applicant's query: a case's "
        "progress by its number and query code",
        description=(
            "编号或查询码不对时答复相同（404）；同一客户端或同一案件失败过多时答复 429 并给出 "
            "Retry-After。\n\nA wrong code and an unknown case get the same answer (404); too "
            "many failures from one client or for one case get 429 with Retry-After."
        ),
        response_model=models.Progress,
        responses=_errors(400, 404, 413, 422, 429),
        tags=["public"],
    )
    async def post_progress(query: models.ProgressQuery, request: Request) -> Any:
        client = request.client.host if request.client else "-"
        try:
            return await desk.progress(client, query.case, query.code)
        except TooManyFailures as exc:
            raise too_many_failures(exc.wait) from None
        except NotFound:
            raise NOT_FOUND_PROGRESS from None

    return router


def _summary(item: Any) -> dict[str, Any]:
    return {
        "code": item.code,
        "name": {"zh": item.name.zh, "en": item.name.en},
        "department": item.department,
        "window": item.window,
        "type": item.type,
        "statutory_days": item.statutory_days,
        "committed_days": item.committed_days,
        "online": item.online,
    }


_LINE_BREAK = re.compile(r"\r?\n")


def _events_of(body: bytes, content_type: str) -> list[Any]:
    """The events of a request body: a JSON array (each element an event) or NDJSON (each
    non-blank line an event, read as ``fyrules evaluate`` reads a line)."""
    media = content_type.split(";")[0].strip().lower()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError(
            400, "INVALID-BODY", "请求体不是 UTF-8 文本", "the body is not UTF-8 text"
        ) from None
    if media in (NDJSON, "application/jsonl", "application/jsonlines"):
        lines = [line for line in _LINE_BREAK.split(text) if line.strip()]
        for line in lines:
            try:
                _unicode_only(json.loads(line))
            except (ValueError, RecursionError):
                continue  # not JSON: the monitor rejects the line as `fyrules evaluate` does
        return lines
    try:
        events = json.loads(text)
    except (ValueError, RecursionError):
        raise ApiError(
            400,
            "INVALID-BODY",
            "请求体不是 JSON：请发送事件的 JSON 数组，或以 application/x-ndjson 发送每行一个事件",
            "the body is not JSON: send a JSON array of events, or one event per line as "
            "application/x-ndjson",
        ) from None
    _unicode_only(events)
    if not isinstance(events, list):
        raise ApiError(
            400,
            "INVALID-BODY",
            "请求体须为事件的 JSON 数组",
            "the body must be a JSON array of events",
        )
    return events


def _unicode_only(value: Any) -> None:
    """Refuse JSON whose strings are not Unicode text (a lone surrogate escape such as
    ``"\\udaae"``): no store could keep them."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise ApiError(
            400,
            "INVALID-BODY",
            "请求体含有不成对的代理字符（如 \\udaae），不是合法的 Unicode 文本",
            "the body holds a lone surrogate escape (such as \\udaae): not Unicode text",
        ) from None


_HTTP_CODES = {400: "INVALID-BODY", 404: "NOT-FOUND", 405: "METHOD-NOT-ALLOWED"}
_HTTP_MESSAGES = {
    400: ("请求体不是合法的 JSON", "the body is not valid JSON"),
    404: (
        "没有这个地址，接口都在 /api 下，见 /openapi.json",
        "no such path: the API is under /api, see /openapi.json",
    ),
    405: ("此地址不接受这种请求方法", "this path does not take that method"),
}


def install(app: FastAPI, settings: Settings) -> None:
    """The safety of a public service on ``app``: error answers, size limits, security headers
    and the access log (the outermost)."""

    @app.exception_handler(ApiError)
    async def api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return exc.response()

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        zh, en = _HTTP_MESSAGES.get(
            exc.status_code, ("请求无法处理", "the request cannot be served")
        )
        body = {
            "error": _HTTP_CODES.get(exc.status_code, "HTTP-ERROR"),
            "message_zh": zh,
            "message_en": en,
        }
        return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        detail = [{k: v for k, v in e.items() if k in ("loc", "msg", "type")} for e in exc.errors()]
        return JSONResponse(
            {
                "error": "INVALID-REQUEST",
                "message_zh": "请求参数无效，见 detail",
                "message_en": "invalid request: see detail",
                "detail": detail,
            },
            status_code=422,
        )

    app.add_middleware(
        BodyLimit,  # type: ignore[arg-type]
        limit=settings.max_body_bytes,
        limits={
            path: settings.max_public_body_bytes
            for path in ("/api/public/progress", "/progress", "/board/sign-in", "/board/sign-out")
        },
    )
    app.add_middleware(SecurityHeaders)  # type: ignore[arg-type]
    app.add_middleware(AccessLog)  # type: ignore[arg-type]


def create_app(
    rulebook: Rulebook,
    service: CaseService,
    tokens: TokenBook,
    settings: Settings | None = None,
) -> FastAPI:
    """The whole web service: ``/api`` over ``service``, started and stopped with the app."""
    settings = settings or Settings()

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        service.start()
        try:
            yield
        finally:
            service.stop()  # after the server has answered every request it accepted

    app = FastAPI(
        title=f"fyrules: {rulebook.manifest.name.zh} / {rulebook.manifest.name.en}",
        version=__version__,
        description=(
            "行政审批规则引擎的 HTTP 接口：办件系统提交事件，监察人员查看预警，申请人查询进度。\n\n"
            "The HTTP API of fyrules: case systems post events, supervisors see warnings, "
            "applicants check their case."
        ),
        lifespan=lifespan,
        docs_url=None,  # the interactive pages load scripts from elsewhere: the CSP forbids it
        redoc_url=None,
    )
    desk = applicant_desk(service, settings)
    app.include_router(api_router(service, tokens, settings, desk))
    app.include_router(pages_router(service, tokens, desk))
    app.add_exception_handler(PublishError, template_failed)
    install(app, settings)
    _add_event_schema(app)
    return app


def _add_event_schema(app: FastAPI) -> None:
    """Put the event model (design.md's contract) among the OpenAPI schemas."""
    from fyrules import Event

    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = original()
        event = Event.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas = schema.setdefault("components", {}).setdefault("schemas", {})
        schemas.update(event.pop("$defs", {}))
        schemas["Event"] = event
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
