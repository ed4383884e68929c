"""The web adapter's HTML pages over HTTP (FastAPI's test client; the browser suite in
tests/browser looks at them in Chromium): the published pages at the paths ``fyrules publish``
writes, errors as pages, the page's own Content-Security-Policy, the board behind a
supervisor's token, the applicant's page sharing the API's failure counts, and a rulebook's
``templates/`` folder restyling the served pages."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.web.support import FUYANG, bearer, in_process, month_events

AS_OF = "2025-10-22T18:00:00%2B08:00"


def _post(client, token, until="2025-10-22"):
    events = [e for e in month_events(cases=30, seed=21) if e["at"] < until]
    answer = client.post("/api/events", json=events, headers=bearer(token))
    assert answer.status_code == 200
    return {r["case"]: r["query_code"] for r in answer.json()["results"] if r.get("query_code")}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    with in_process(tmp_path_factory.mktemp("pages")) as (client, tokens):
        codes = _post(client, tokens["intake"])
        yield client, tokens, codes


def test_the_published_pages_are_served_at_their_published_paths(app):
    client, _, _ = app
    home = client.get("/")
    assert home.status_code == 200 and home.headers["content-type"].startswith("text/html")
    assert client.get("/index.html").text == home.text
    assert 'href="items/FY-SC-001.html"' in home.text
    sheet = client.get("/items/FY-SC-001.html")
    assert sheet.status_code == 200 and "十公开" in sheet.text
    assert 'href="../index.html"' in sheet.text


def test_every_page_has_the_site_navigation_and_no_script(app):
    client, _, _ = app
    for path in ("/", "/items/FY-SC-001.html", "/rankings/2025-10.html", "/progress", "/board"):
        text = client.get(path).text
        assert '<html lang="zh-CN">' in text
        assert 'aria-label="网站导航 Site navigation"' in text
        assert "<script" not in text


def test_pages_carry_a_policy_that_allows_only_their_style_and_their_own_forms(app):
    client, _, _ = app
    answer = client.get("/progress")
    policy = answer.headers["content-security-policy"]
    assert "script-src" not in policy and "default-src 'none'" in policy
    assert "form-action 'self'" in policy and "frame-ancestors 'none'" in policy
    meta = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', answer.text)
    assert meta is not None and "form-action 'self'" in meta.group(1)
    # the API keeps its own, stricter policy
    api = client.get("/api/items").headers["content-security-policy"]
    assert "style-src" not in api and "form-action 'none'" in api


def test_an_unknown_item_or_month_is_a_page_that_says_so(app):
    client, _, _ = app
    missing = client.get("/items/NO-SUCH.html")
    assert missing.status_code == 404 and "目录中没有事项 NO-SUCH" in missing.text
    assert "<h1>" in missing.text and "no item NO-SUCH in the catalog" in missing.text
    month = client.get("/rankings/2025-13.html")
    assert month.status_code == 404 and "不是月份" in month.text
    planted = client.get("/items/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E.html")
    assert planted.status_code == 404 and "<img" not in planted.text
    assert "&lt;img src=x onerror=alert(1)&gt;" in planted.text


def test_the_ranking_shows_the_change_where_the_previous_month_has_cases(tmp_path):
    import fyrules
    from fyrules.simulation.cases import generate

    rb = fyrules.load(FUYANG)
    with in_process(tmp_path) as (client, tokens):
        october = [
            e.model_dump(mode="json") for e in generate(rb, month="2025-10", cases=20, seed=4)
        ]
        assert (
            client.post("/api/events", json=october, headers=bearer(tokens["intake"])).status_code
            == 200
        )
        alone = client.get("/rankings/2025-10.html").text
        september = [
            e.model_dump(mode="json") for e in generate(rb, month="2025-09", cases=20, seed=5)
        ]
        assert (
            client.post("/api/events", json=september, headers=bearer(tokens["intake"])).status_code
            == 200
        )
        after = client.get("/rankings/2025-10.html").text

    def changes(text):
        table = text[text.index('class="figures ranking"') :]
        table = table[: table.index("</table>")]
        rows = re.findall(r"<tr><td class=\"num\">.*?</tr>", table)
        return [re.findall(r'<td class="num">([^<]*)</td>', row)[2] for row in rows]

    assert set(changes(alone)) == {"—"}
    assert any(c != "—" for c in changes(after))


def test_this_months_ranking_is_a_redirect_to_the_months_page(app):
    client, _, _ = app
    answer = client.get("/rankings/", follow_redirects=False)
    assert answer.status_code == 303
    assert re.fullmatch(r"/rankings/\d{4}-\d\d\.html", answer.headers["location"])


def test_the_board_asks_for_a_supervisors_token(app):
    client, tokens, _ = app
    client.cookies.clear()
    asked = client.get("/board")
    assert asked.status_code == 401 and 'type="password"' in asked.text
    for role in ("intake", "staff"):
        refused = client.get("/board", headers=bearer(tokens[role]))
        assert refused.status_code == 401
        posted = client.post("/board/sign-in", data={"token": tokens[role]}, follow_redirects=False)
        assert posted.status_code == 401 and "不是监察人员" in posted.text
        assert "set-cookie" not in posted.headers
    board = client.get(f"/board?as_of={AS_OF}", headers=bearer(tokens["supervisor"]))
    assert board.status_code == 200 and "在办案件" in board.text


def test_signing_in_keeps_the_token_in_a_strict_http_only_cookie_for_the_board_only(app):
    client, tokens, _ = app
    client.cookies.clear()
    signed = client.post(
        "/board/sign-in", data={"token": tokens["supervisor"]}, follow_redirects=False
    )
    assert signed.status_code == 303 and signed.headers["location"] == "/board"
    cookie = signed.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/board" in cookie
    assert client.get(f"/board?as_of={AS_OF}").status_code == 200
    out = client.post("/board/sign-out", follow_redirects=False)
    assert out.status_code == 303
    client.cookies.clear()  # as the browser does on the expired cookie
    assert client.get("/board").status_code == 401


def test_the_board_lists_late_cases_with_a_link_and_who_is_responsible(app):
    client, tokens, _ = app
    board = client.get(f"/board?as_of={AS_OF}", headers=bearer(tokens["supervisor"])).text
    links = re.findall(r'href="/board/cases/([^"?]+)\?as_of=', board)
    assert links, "no lit case on the board"
    assert "超时环节" in board
    case = client.get(
        f"/board/cases/{links[0]}?as_of={AS_OF}", headers=bearer(tokens["supervisor"])
    )
    assert case.status_code == 200 and links[0] in case.text
    assert "经办人" in case.text and re.search(r"P-[A-Z]+-\d+", case.text)
    # each lit case's light is the most severe finding the API's supervision list gives it
    api = client.get(f"/api/findings?as_of={AS_OF}", headers=bearer(tokens["supervisor"])).json()
    order = ["info", "warning", "error"]
    worst: dict[str, str] = {}
    for f in api["findings"]:
        if f["severity"] in order and order.index(f["severity"]) >= order.index(
            worst.get(f["case"], "info")
        ):
            worst[f["case"]] = f["severity"]
    lights = dict(
        re.findall(
            r'href="/board/cases/([^"?]+)\?[^"]*">[^<]*</a></th><td><span class="light light-(\w+)"',
            board,
        )
    )
    assert set(lights) == set(links)
    named = {"info": "prompt", "warning": "yellow", "error": "red"}
    assert {case: named[worst[case]] for case in lights} == lights


def _board_depts(text):
    return set(
        re.findall(r'<tr><th scope="row">[^<]*(?:<span[^>]*>[^<]*</span>)? ([A-Z]+)</th>', text)
    )


def test_a_department_supervisor_sees_only_their_cases(tmp_path):
    from fyrules_adapters.web.tokens import add_token as make_token

    with in_process(tmp_path) as (client, tokens):
        _post(client, tokens["intake"])
        every = _board_depts(
            client.get(f"/board?as_of={AS_OF}", headers=bearer(tokens["supervisor"])).text
        )
    assert len(every) > 1, every
    dept = sorted(every)[0]
    limited = make_token(tmp_path / "tokens.json", "supervisor", (dept,))
    with in_process(tmp_path) as (client, _):  # the token book is read when the app starts
        board = client.get(f"/board?as_of={AS_OF}", headers=bearer(limited)).text
    assert _board_depts(board) == {dept}


def test_the_progress_page_and_the_api_count_the_same_failures(tmp_path):
    with in_process(tmp_path) as (client, tokens):
        codes = _post(client, tokens["intake"])
        case = next(iter(codes))
        for _ in range(5):  # the per-case limit (Settings: 5 in 15 minutes)
            wrong = client.post("/progress", data={"case": case, "code": "AAAAA-BBBBB"})
            assert wrong.status_code == 404 and "案件编号或查询码不正确" in wrong.text
        blocked = client.post("/api/public/progress", json={"case": case, "code": codes[case]})
        assert blocked.status_code == 429 and "Retry-After" in blocked.headers
        page = client.post("/progress", data={"case": case, "code": codes[case]})
        assert (
            page.status_code == 429
            and page.headers["retry-after"] == blocked.headers["retry-after"]
        )


def test_the_progress_page_shows_the_case_to_its_applicant_only(app):
    client, _, codes = app
    for case, code in codes.items():  # an open case, whose stages the page shows
        api = client.post("/api/public/progress", json={"case": case, "code": code}).json()
        if api["status"] == "open":
            break
    right = client.post("/progress", data={"case": case, "code": code.lower().replace("-", "")})
    assert right.status_code == 200 and case in right.text and "办理环节" in right.text
    assert api["deadlines"]["committed_due"] in right.text
    assert not re.search(r"P-[A-Z]+-\d+", right.text)  # no staff member's identity
    empty = client.post("/progress", data={"case": case})
    assert empty.status_code == 422 and "请填写案件编号和查询码" in empty.text
    unknown = client.post("/progress", data={"case": "FY-209912-999999", "code": "AAAAA-BBBBB"})
    assert unknown.status_code == 404 and code not in unknown.text


def test_a_rulebooks_templates_folder_restyles_the_served_pages(tmp_path):
    from fastapi.testclient import TestClient

    import fyrules
    from fyrules_adapters.web.app import create_app
    from fyrules_adapters.web.service import CaseService
    from fyrules_adapters.web.stores import open_store
    from fyrules_adapters.web.tokens import TokenBook

    rulebook = tmp_path / "rulebook"
    shutil.copytree(FUYANG, rulebook, symlinks=False)
    (rulebook / "templates").mkdir()
    base = (Path(fyrules.__file__).parent / "publication" / "templates" / "style.css").read_text()
    (rulebook / "templates" / "style.css").write_text(
        base + "\n.masthead { border-bottom-color: #005a9c; }\n", encoding="utf-8"
    )
    (rulebook / "templates" / "sign_in.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1>请到监察室领取令牌</h1>{% endblock %}',
        encoding="utf-8",
    )
    rb = fyrules.load(rulebook)
    service = CaseService(rb, lambda: open_store(str(tmp_path / "cases.db")))
    with TestClient(create_app(rb, service, TokenBook.load(None))) as client:
        for path in ("/", "/progress", "/items/FY-SC-001.html"):
            assert "border-bottom-color: #005a9c" in client.get(path).text
        assert "请到监察室领取令牌" in client.get("/board").text


def test_a_broken_template_of_the_rulebook_stops_serve_with_its_file_and_line(tmp_path):
    import subprocess
    import sys

    from tests.web.support import ROOT, _env

    rulebook = tmp_path / "rulebook"
    shutil.copytree(FUYANG, rulebook, symlinks=False)
    (rulebook / "templates").mkdir()
    (rulebook / "templates" / "index.html").write_text(
        '{% extends "base.html" %}\n{% block main %}{% if %}{% endblock %}\n', encoding="utf-8"
    )
    argv = [
        sys.executable,
        "-m",
        "fyrules",
        "serve",
        str(rulebook),
        "--store",
        str(tmp_path / "c.db"),
    ]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120, env=_env(), cwd=ROOT)
    assert done.returncode == 2, done.stderr
    assert "index.html:2" in done.stderr and "Traceback" not in done.stderr


def test_a_template_that_fails_while_rendering_is_a_page_that_says_so(tmp_path):
    from fastapi.testclient import TestClient

    import fyrules
    from fyrules_adapters.web.app import create_app
    from fyrules_adapters.web.service import CaseService
    from fyrules_adapters.web.stores import open_store
    from fyrules_adapters.web.tokens import TokenBook

    rulebook = tmp_path / "rulebook"
    shutil.copytree(FUYANG, rulebook, symlinks=False)
    (rulebook / "templates").mkdir()
    (rulebook / "templates" / "progress.html").write_text(
        '{% extends "base.html" %}{% block main %}{{ no_such_value }}{% endblock %}',
        encoding="utf-8",
    )
    rb = fyrules.load(rulebook)
    service = CaseService(rb, lambda: open_store(str(tmp_path / "cases.db")))
    with TestClient(create_app(rb, service, TokenBook.load(None))) as client:
        failed = client.get("/progress")
        assert failed.status_code == 500 and "no_such_value" in failed.text
        assert "页面模板出错" in failed.text and "Traceback" not in failed.text
        assert client.get("/").status_code == 200
