"""The web adapter's HTML pages, server-rendered, no JavaScript: the catalog and each item's
publicity sheet (the pages ``fyrules publish`` writes, at the same paths), the month's ranking,
the applicant's progress page, and the supervision board (电子监察) for supervisors.

Every page renders from the publication's templates (:mod:`fyrules.site`: the rulebook's
``templates/`` folder first, then fyrules' defaults, then this adapter's ``templates/``), with
autoescape, the shared style sheet, ``lang="zh-CN"``, Chinese first and English on each line.

Pages answer with their own Content-Security-Policy: styles inline, no script, no image, forms
only to this server. The board takes the same tokens as ``/api/findings`` (role
``supervisor``): a sign-in form keeps the token in an HttpOnly, SameSite=Strict cookie for
``/board`` only, or a client sends ``Authorization: Bearer``.
"""

# no `from __future__ import annotations`: FastAPI reads the routes' annotations
import datetime as dt
import re
from typing import Annotated, Any
from urllib.parse import parse_qs, urlencode

import jinja2
from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from fyrules import FyrulesError, PublishError, site

from .applicant import ApplicantDesk, NotFound, TooManyFailures
from .board import case_view, supervision_board
from .service import CaseService, parse_moment
from .tokens import Grant, TokenBook

# the page's policy: its inline style sheet, no script, no image, forms posted here only
PAGE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'self'; "
    "base-uri 'none'"
)
PAGE_POLICY = PAGE_CSP + "; frame-ancestors 'none'"  # the header (a <meta> cannot say it)
COOKIE = "fyrules_board"
BOARD_REFRESH_SECONDS = 60  # when a supervisor turns refreshing on (a wall display)
SITE_LINKS = (
    ("/", "事项目录", "Catalog"),
    ("/rankings/", "月度排名", "Monthly ranking"),
    ("/progress", "办件查询", "Check my case"),
    ("/board", "电子监察", "Supervision board"),
)
RANKINGS_KEPT = 24  # scored months kept between two events
MONTH = re.compile(r"^(19|20)\d\d-(0[1-9]|1[0-2])$")


def html(text: str, status: int = 200, headers: dict[str, str] | None = None) -> HTMLResponse:
    return HTMLResponse(
        text,
        status_code=status,
        headers={"Content-Security-Policy": PAGE_POLICY, **(headers or {})},
    )


def page_templates(service: CaseService) -> jinja2.Environment:
    """The rulebook's templates, fyrules' defaults, then this adapter's pages."""
    return site.templates(
        service.rulebook,
        extra=jinja2.PackageLoader("fyrules_adapters.web", "templates"),
        shared={"csp": Markup(PAGE_CSP), "site_links": SITE_LINKS},
    )


def check_templates(env: jinja2.Environment) -> None:
    """Compile every template now, so a syntax error in a rulebook's templates stops the
    server at its start (:class:`fyrules.PublishError` naming the file and line)."""
    for name in env.list_templates(extensions=["html", "css"]):
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            where = f"{exc.filename or exc.name}:{exc.lineno}"
            raise PublishError(
                f"模板 {where} 有语法错误：{exc.message}，请修改该模板",
                f"template {where} has a syntax error: {exc.message}; fix the template",
            ) from None


async def template_failed(_request: Request, exc: Exception) -> Response:
    """A page whose template failed while rendering (a rulebook's template asking for a value
    the page does not have): a 500 page that says so, not a traceback."""
    message = str(exc).replace("<", "&lt;").replace(">", "&gt;")
    return html(
        f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>模板错误 '
        f"Template error</title></head><body><main><h1>页面模板出错 / A page template failed"
        f"</h1><p>{message}</p></main></body></html>",
        500,
    )


def previous_month(month: str) -> str:
    year, number = int(month[:4]), int(month[5:])
    return f"{year - 1}-12" if number == 1 else f"{year}-{number - 1:02d}"


def pages_router(service: CaseService, tokens: TokenBook, desk: ApplicantDesk) -> APIRouter:
    """The HTML pages over ``service``; the board takes ``tokens``' supervisors; ``desk``
    answers applicants (the API's own, so both count the same failures)."""
    env = page_templates(service)
    check_templates(env)
    publisher = site.publisher(service.rulebook)
    catalog = site.catalog_html(service.rulebook, env)  # the catalog does not change
    router = APIRouter(include_in_schema=False)

    def render(name: str, title: str, masthead: tuple[str, str], **context: Any) -> str:
        return site.render(
            name,
            env,
            title=f"{title} · {publisher.name.zh}",
            publisher=publisher,
            masthead=masthead,
            back=None,
            **context,
        )

    def error_page(
        status: int, zh: str, en: str, headers: dict[str, str] | None = None
    ) -> Response:
        text = render("error.html", zh, ("出错了", "Something is wrong"), message=(zh, en))
        return html(text, status, headers)

    # --- the catalog and publicity sheets, at the paths `fyrules publish` writes ---------------

    @router.get("/", response_class=HTMLResponse)
    @router.get("/index.html", response_class=HTMLResponse)
    async def catalog_page() -> Response:
        return html(catalog)

    @router.get("/items/{code}.html", response_class=HTMLResponse)
    async def item_page(code: Annotated[str, Path(min_length=1, max_length=200)]) -> Response:
        text = site.item_html(service.rulebook, code, env)
        if text is None:
            return error_page(404, f"目录中没有事项 {code}", f"no item {code} in the catalog")
        return html(text)

    # --- the month's ranking -------------------------------------------------------------------

    @router.get("/rankings/", response_class=HTMLResponse)
    async def this_month() -> Response:
        month = service.clock().astimezone(service.zone).strftime("%Y-%m")
        return RedirectResponse(f"/rankings/{month}.html", status_code=303)

    scored: dict[tuple[str, Any], Any] = {}  # (month, trail head) -> result, the latest few

    def score(month: str) -> Any:
        # a public page: scoring reads every case on the store's thread, so a month is
        # scored again only once the trail has grown, however often the page is asked for
        key = (month, tuple(head["hash"] if head else None for head in service.trail_heads()))
        if key in scored:
            return scored[key]
        prior = None
        try:
            earlier = service.score(previous_month(month))
            if any(row.stats.accepted for row in earlier.rows):
                prior = earlier  # the change is shown only where the previous month has cases
        except FyrulesError:
            prior = None  # no scheme in force then: no change to show
        result = service.score(month, previous=prior)
        if len(scored) >= RANKINGS_KEPT:
            scored.pop(next(iter(scored)))
        scored[key] = result
        return result

    @router.get("/rankings/{month}.html", response_class=HTMLResponse)
    async def ranking_page(month: Annotated[str, Path(max_length=7)]) -> Response:
        if not MONTH.match(month):
            return error_page(
                404, f"{month} 不是月份（YYYY-MM）", f"{month} is not a month (YYYY-MM)"
            )
        try:
            result = await service.run(score, month)
        except FyrulesError as exc:
            problem = getattr(exc, "problem", None)
            zh = problem.message_zh if problem is not None else str(exc)
            en = problem.message_en if problem is not None else str(exc)
            return error_page(404, zh, en)
        return html(site.ranking_html(result, service.rulebook, env, back="../index.html"))

    # --- the applicant's progress --------------------------------------------------------------

    def progress_form(
        status: int = 200,
        message: tuple[str, str] | None = None,
        case: str = "",
        headers: dict[str, str] | None = None,
    ) -> Response:
        text = render(
            "progress.html",
            "办件进度查询",
            ("办件查询", "Check my case"),
            answer=None,
            message=message,
            case=case,
        )
        return html(text, status, headers)

    @router.get("/progress", response_class=HTMLResponse)
    async def progress_page() -> Response:
        return progress_form()

    @router.post("/progress", response_class=HTMLResponse)
    async def progress_answer(request: Request) -> Response:
        form = await _form(request)
        case, code = form.get("case", "").strip(), form.get("code", "").strip()
        if not case or not code or len(case) > 200 or len(code) > 40:
            return progress_form(
                422,
                ("请填写案件编号和查询码", "enter the case number and the query code"),
                case[:200],
            )
        client = request.client.host if request.client else "-"
        try:
            answer = await desk.progress(client, case, code)
        except TooManyFailures as exc:
            return progress_form(
                429,
                (
                    f"查询失败次数过多，请 {exc.wait} 秒后再试",
                    f"too many failed queries: try again in {exc.wait} seconds",
                ),
                case,
                {"Retry-After": str(exc.wait)},
            )
        except NotFound:
            return progress_form(
                404,
                (
                    "案件编号或查询码不正确，请核对受理通知书上的编号和查询码",
                    "the case number or the query code is wrong: check both on the acceptance "
                    "notice",
                ),
                case,
            )
        text = render(
            "progress.html",
            f"{answer['case']} 办件进度",
            ("办件查询", "Check my case"),
            answer=answer,
            message=None,
            case=case,
        )
        return html(text)

    # --- the supervision board -----------------------------------------------------------------

    def supervisor(request: Request) -> Grant | None:
        header = request.headers.get("authorization", "")
        token = header[7:].strip() if header.lower().startswith("bearer ") else None
        token = token or request.cookies.get(COOKIE)
        grant = tokens.check(token) if token else None
        return grant if grant is not None and grant.role == "supervisor" else None

    def sign_in_page(status: int, message: tuple[str, str] | None = None) -> Response:
        text = render(
            "sign_in.html",
            "电子监察 · 登录",
            ("电子监察", "Supervision board"),
            message=message,
        )
        return html(text, status)

    def moment(request: Request) -> dt.datetime | None:
        text = request.query_params.get("as_of")
        if not text:
            return service.clock()
        try:
            return parse_moment(text[:64], service.zone)
        except ValueError:
            return None

    @router.get("/board", response_class=HTMLResponse)
    async def board_page(request: Request) -> Response:
        grant = supervisor(request)
        if grant is None:
            return sign_in_page(401)
        when = moment(request)
        if when is None:
            return error_page(
                422,
                "as_of 不是 ISO 时间（如 2025-10-09T18:00:00+08:00）",
                "as_of is not an ISO date-time (such as 2025-10-09T18:00:00+08:00)",
            )
        board = await service.run(supervision_board, service, when, grant.depts)
        query = str(request.url.query)
        # refreshing is the supervisor's choice (a page that reloads by itself unasked is a
        # barrier to screen-reader users: WCAG 2.2.1), kept on its own links
        refresh = BOARD_REFRESH_SECONDS if request.query_params.get("refresh") else None
        kept = {k: v for k, v in request.query_params.items() if k != "refresh"}
        text = render(
            "board.html",
            "电子监察",
            ("电子监察", "Supervision board"),
            board=board,
            as_of=when.astimezone(service.zone),
            query=f"?{query}" if query else "",
            refresh=refresh,
            every=BOARD_REFRESH_SECONDS,
            refresh_on="/board?" + urlencode({**kept, "refresh": "on"}),
            refresh_off="/board" + (f"?{urlencode(kept)}" if kept else ""),
        )
        return html(text)

    @router.get("/board/cases/{case}", response_class=HTMLResponse)
    async def board_case(
        request: Request, case: Annotated[str, Path(min_length=1, max_length=200)]
    ) -> Response:
        grant = supervisor(request)
        if grant is None:
            return sign_in_page(401)
        when = moment(request) or service.clock()
        view = await service.run(case_view, service, case, when)
        if view is None or not grant.covers(view["dept"]):
            return error_page(404, f"没有在办案件 {case}", f"no open case {case}")
        query = str(request.url.query)
        text = render(
            "board_case.html",
            f"{case} · 电子监察",
            ("电子监察", "Supervision board"),
            view=view,
            as_of=when.astimezone(service.zone),
            query=f"?{query}" if query else "",
        )
        return html(text)

    @router.post("/board/sign-in", response_class=HTMLResponse)
    async def sign_in(request: Request) -> Response:
        token = (await _form(request)).get("token", "").strip()
        grant = tokens.check(token) if token and len(token) <= 200 else None
        if grant is None or grant.role != "supervisor":
            return sign_in_page(
                401,
                (
                    "令牌无效，或不是监察人员（supervisor）的令牌，请向管理员申请",
                    "unknown token, or not a supervisor's: ask the administrator for one",
                ),
            )
        answer = RedirectResponse("/board", status_code=303)
        answer.set_cookie(
            COOKIE,
            token,
            path="/board",
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
        )
        return answer

    @router.post("/board/sign-out", response_class=HTMLResponse)
    async def sign_out() -> Response:
        answer = RedirectResponse("/board", status_code=303)
        answer.delete_cookie(COOKIE, path="/board")
        return answer

    return router


async def _form(request: Request) -> dict[str, str]:
    """A posted form's fields (application/x-www-form-urlencoded; the first of each name)."""
    body = await request.body()
    try:
        fields = parse_qs(body.decode("utf-8"), max_num_fields=10)
    except (UnicodeDecodeError, ValueError):
        return {}
    return {name: values[0] for name, values in fields.items()}
