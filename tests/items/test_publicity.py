"""Publicity sheets (一事一表) and the catalog index: the ten public fields, Chinese first,
escaping of hostile rule files, links that resolve, byte-identical output, and the CLI."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import textwrap
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

import fyrules
from fyrules.cli import main
from fyrules.items.publicity import (
    PAGE_WRITERS,
    Page,
    Publisher,
    PublishError,
    publish,
    render_index_html,
    render_index_markdown,
    render_item_html,
    render_item_markdown,
    render_pages,
)
from fyrules.items.publicity_sheet import safe_url
from tests.conftest import FUYANG
from tests.helpers import write_rulebook

TEN_LABELS = (
    ("责任科室", "Responsible section"),
    ("设定依据", "Legal basis"),
    ("申请条件", "Application conditions"),
    ("办理流程", "Handling procedure"),
    ("承诺期限", "Committed time limit"),
    ("申请材料", "Application materials"),
    ("收费标准及依据", "Fees and their basis"),
    ("申请表格", "Application form"),
    ("咨询电话", "Consultation telephone"),
    ("投诉电话", "Complaint telephone"),
)

CATALOG = """\
departments:
  - {id: SC, name: {zh: 市场监管局, en: Market Regulation}}
  - {id: XX, name: {zh: "<script>alert(1)</script>局", en: "\\"><img src=x onerror=alert(1)>"}}
windows:
  - {id: W01, name: {zh: 综合窗口, en: General window}, department: SC}
items:
  - code: FY-T-001
    name: {zh: 食品经营许可（新办）, en: Food business licence}
    department: SC
    window: W01
    type: commitment
    section: 行政审批科
    legal_basis: 《中华人民共和国食品安全法》第三十五条
    conditions: [有与经营食品相适应的经营场所, 有食品安全管理制度]
    procedure: [受理, 审查, 现场核查, 决定, 送达]
    statutory_days: 10
    statutory_basis: 《食品经营许可和备案管理办法》第三十条
    committed_days: 5
    special_procedures:
      - {name: inspection, max_days: 5, counted: false}
    materials:
      - {name: 食品经营许可申请书, required: true, original: true, copies: 1}
      - {name: 营业执照, required: false, original: false, copies: 2, note: 加盖公章}
    fee: {charged: true, standard: 每件 80 元, basis: 某收费文件}
    form: {name: 食品经营许可申请书（示范文本）, url: "https://example.gov.cn/forms/food.docx"}
    consult_phone: 0558-2288101
    complaint_phone: 0558-12345
    online: full
    authorization: chief
    depends_on: [FY-T-002]
  - code: FY-T-002
    name:
      zh: "恶意<script>alert(1)</script>\\n| 第二行 |"
      en: "\\"><img src=x onerror=alert(1)> *b* [x](javascript:alert(1))"
    department: XX
    type: immediate
    section: "| pipe\\nnewline"
    legal_basis: "<iframe src=//evil.example>"
    conditions: ["- list?", "1. numbered", "# heading", "`code` | cell"]
    committed_days: 0
    materials:
      - {name: "\\"><img src=x onerror=alert(1)>|材料\\n第二行", note: "<script>x</script>"}
    form: {name: 表格, url: "javascript:alert(1)"}
    consult_phone: "<a href=javascript:alert(1)>call</a>"
    complaint_phone: "12345 | 67890"
"""

MANIFEST = """\
rulebook: pub
name: {zh: "测试<b>中心</b>", en: "Test | center"}
jurisdiction: 测试市
version: "7"
extends: national
"""


@pytest.fixture(scope="module")
def hostile_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    return write_rulebook(root, {"rulebook.yaml": MANIFEST, "catalog.yaml": CATALOG})


@pytest.fixture(scope="module")
def hostile(hostile_root) -> fyrules.Rulebook:
    return fyrules.load(hostile_root)


class ParsedHtml(HTMLParser):
    """Tags, attributes, ids and text of an HTML page."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def hrefs(self) -> list[str]:
        return [a["href"] for t, a in self.tags if t == "a" and a.get("href")]

    def ids(self) -> set[str]:
        return {a["id"] for _, a in self.tags if a.get("id")}


def md_links(text: str) -> list[str]:
    return re.findall(r"(?<!\\)\]\(([^)]*)\)", text)


def unescaped_pipes(line: str) -> int:
    return len(re.findall(r"(?<!\\)\|", line))


# ---------------------------------------------------------------------------- the ten fields


def test_every_one_of_the_ten_public_fields_appears_on_both_sheets(hostile):
    item = hostile.items["FY-T-001"]
    expected = [
        "行政审批科",
        "《中华人民共和国食品安全法》第三十五条",
        "有与经营食品相适应的经营场所",
        "有食品安全管理制度",
        "现场核查",
        "5 个工作日",
        "食品经营许可申请书",
        "加盖公章",
        "每件 80 元",
        "某收费文件",
        "食品经营许可申请书（示范文本）",
        "0558-2288101",
        "0558-12345",
    ]
    md = render_item_markdown(item, hostile.items)
    page = ParsedHtml(render_item_html(item, hostile.items))
    html_text = "".join(page.text)
    for value in expected:
        assert value in md, value
        assert value in html_text, value
    for zh, en in TEN_LABELS:
        assert zh in md and en in md and zh in html_text and en in html_text
    numbers = re.findall(r"^\| (.) \| ", md, flags=re.M)
    assert numbers == list("一二三四五六七八九十")
    assert "https://example.gov.cn/forms/food.docx" in page.hrefs()


def test_a_field_the_item_file_leaves_empty_is_shown_as_not_provided(fuyang):
    catalog = fuyang.items
    item = catalog["FY-SC-001"].model_copy(update={"section": None})
    md = render_item_markdown(item, catalog)
    section_row = next(line for line in md.splitlines() if "责任科室" in line)
    assert "暂未提供" in section_row and "Not provided" in section_row


def test_committed_limit_of_zero_days_reads_as_the_same_working_day(fuyang):
    md = render_item_markdown(fuyang.items["FY-SC-002"], fuyang.items)
    assert "当日办结" in next(line for line in md.splitlines() if "承诺期限" in line)


def test_chinese_comes_before_english(hostile):
    item = hostile.items["FY-T-001"]
    for text in (
        render_item_markdown(item, hostile.items),
        render_item_html(item, hostile.items),
    ):
        assert text.index("食品经营许可（新办）") < text.index("Food business licence")
        for zh, en in TEN_LABELS:
            assert text.index(zh) < text.index(en)
    page = ParsedHtml(render_item_html(item, hostile.items))
    assert page.tags[0] == ("html", {"lang": "zh-CN"})
    english = [a for _, a in page.tags if a.get("class") == "en"]
    assert english and all(a.get("lang") == "en" for a in english)


def test_prerequisite_items_link_to_their_sheets(hostile):
    page = ParsedHtml(render_item_html(hostile.items["FY-T-001"], hostile.items))
    assert "FY-T-002.html" in page.hrefs()
    assert "(FY-T-002.md)" in render_item_markdown(hostile.items["FY-T-001"], hostile.items)


# ---------------------------------------------------------------------------- hostile values


def _assert_inert_html(text: str) -> None:
    page = ParsedHtml(text)
    tags = {t for t, _ in page.tags}
    assert not tags & {"script", "img", "iframe", "object", "embed", "link", "form", "b"}
    for _, attrs in page.tags:
        assert not [k for k in attrs if k.startswith("on")]
    for href in page.hrefs():
        assert urlsplit(href).scheme in ("", "https", "http"), href


def test_hostile_values_are_escaped_in_html(hostile):
    pages = [render_item_html(i, hostile.items, "x") for i in hostile.items.values()]
    pages.append(render_index_html(hostile.items, Publisher.from_rulebook(hostile)))
    for text in pages:
        _assert_inert_html(text)
    shown = "".join(ParsedHtml(pages[1]).text)
    for value in ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "<iframe"):
        assert value in shown  # shown to the reader as text, not dropped
    assert "javascript:alert(1)" in shown


def test_hostile_values_cannot_break_markdown_tables_or_inject_markup(hostile):
    pages = [render_item_markdown(i, hostile.items, "x") for i in hostile.items.values()]
    pages.append(render_index_markdown(hostile.items, Publisher.from_rulebook(hostile)))
    for text in pages:
        assert not re.search(r"<(?!br>)", text), "raw HTML other than <br>"
        for href in md_links(text):
            assert urlsplit(href).scheme in ("", "https"), href
        table: list[str] = []
        for line in [*text.splitlines(), ""]:
            if line.startswith("|"):
                table.append(line)
            elif table:
                assert {unescaped_pipes(row) for row in table} == {unescaped_pipes(table[0])}
                table = []
    sheet = pages[1]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in sheet
    assert r"\| pipe<br>newline" in sheet
    assert r"\[x\](javascript:alert(1))" in sheet
    assert not re.search(r"^\s*(-|\d+\.|#) ", sheet.split("## ")[1], flags=re.M)


def test_only_plain_web_addresses_become_links():
    assert safe_url("https://example.gov.cn/forms/a.docx?v=1&x=2")
    for url in (
        "javascript:alert(1)",
        "https://ok.example/\n",
        "https://a.example/) [x](javascript:alert(1)",
        'https://a.example/"onmouseover="x',
        "data:text/html,<script>",
        "//evil.example/",
    ):
        assert safe_url(url) is None, url


def test_html_pages_are_self_contained(fuyang):
    for page in render_pages(fuyang):
        if not page.path.endswith(".html"):
            continue
        parsed = ParsedHtml(page.text)
        assert not [t for t, a in parsed.tags if "src" in a or t in ("script", "link")]
        assert "<style>" in page.text and "Content-Security-Policy" in page.text
        assert not [h for h in parsed.hrefs() if urlsplit(h).scheme]


# ---------------------------------------------------------------------------- the index


def test_index_starts_with_the_catalog_figures(fuyang):
    stats = fuyang.items.statistics()
    for text in (
        render_index_markdown(fuyang.items, "阜阳"),
        render_index_html(fuyang.items, "阜阳"),
    ):
        first_department = text.index("市市场监督管理局")
        for figure in (stats.concentration, stats.window_authorized, stats.online):
            assert 0 < text.index(figure.percent()) < first_department
        for kind in ("即办件", "承诺件", "联办件", "上报件"):
            assert text.index(kind) < first_department


def test_index_links_resolve_to_files_written(fuyang, tmp_path):
    written = publish(fuyang, tmp_path)
    assert sorted(written) == sorted(p for p in tmp_path.rglob("*") if p.is_file())
    assert len(written) == 2 + 2 * len(fuyang.items)
    for path in written:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".html":
            page = ParsedHtml(text)
            hrefs, ids = page.hrefs(), page.ids()
        else:
            hrefs, ids = md_links(text), set()
        assert hrefs
        for href in hrefs:
            target, _, fragment = href.partition("#")
            if not target:
                assert fragment in ids, href
                continue
            assert (path.parent / unquote(target)).resolve().is_file(), (path, href)
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    for code in fuyang.items:
        assert f'href="items/{code}.html"' in index


def test_publish_is_deterministic_and_dated_only_when_asked(fuyang, tmp_path):
    first = publish(fuyang, tmp_path / "a")
    second = publish(fyrules.load(FUYANG), tmp_path / "b")
    assert [p.relative_to(tmp_path / "a") for p in first] == [
        p.relative_to(tmp_path / "b") for p in second
    ]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert not any(re.search(rb"20\d\d-\d\d-\d\d", p.read_bytes()) for p in first)
    dated = render_pages(fuyang, published_on=dt.date(2025, 10, 15))
    assert all("2025-10-15" in page.text for page in dated)


# ---------------------------------------------------------------------------- page writers


def test_more_pages_come_from_more_writers(fuyang, tmp_path):
    def extra(ctx):
        yield Page("rankings/2025-10.md", f"# {ctx.publisher.name.zh}\n")

    written = publish(fuyang, tmp_path, writers=(*PAGE_WRITERS, extra))
    assert (tmp_path / "rankings" / "2025-10.md").read_text(
        encoding="utf-8"
    ) == "# 阜阳市政务服务中心\n"
    assert written[-1] == tmp_path / "rankings" / "2025-10.md"


def test_pages_that_clash_or_leave_the_folder_write_nothing(fuyang, tmp_path):
    def clash(ctx):
        yield Page("INDEX.md", "")

    def escape(ctx):
        yield Page("../outside.md", "")

    for writer in (clash, escape):
        with pytest.raises(PublishError):
            publish(fuyang, tmp_path / "out", writers=(*PAGE_WRITERS, writer))
        assert not (tmp_path / "out").exists()


def test_item_codes_differing_only_in_case_are_refused(tmp_path):
    root = write_rulebook(
        tmp_path / "rb",
        {
            "catalog.yaml": """\
            departments: [{id: D, name: 部门}]
            items:
              - {code: A-1, name: 甲, department: D, type: immediate}
              - {code: a-1, name: 乙, department: D, type: immediate}
            """
        },
        extends="national",
    )
    with pytest.raises(PublishError, match="a-1"):
        render_pages(fyrules.load(root))


# ---------------------------------------------------------------------------- the command


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_publishes_the_fuyang_rulebook(capsys, tmp_path, fuyang):
    code, out, _ = run(capsys, "publish", str(FUYANG), "--out", str(tmp_path / "site"))
    assert code == 0, out
    assert (tmp_path / "site" / "index.html").is_file()
    assert f"{2 + 2 * len(fuyang.items)} " in out


def test_cli_date_is_printed_on_the_pages(capsys, tmp_path):
    code, _, _ = run(capsys, "publish", str(FUYANG), "--out", str(tmp_path), "--date", "2025-10-15")
    assert code == 0
    assert "公布日期 2025-10-15" in (tmp_path / "index.md").read_text(encoding="utf-8")


def test_cli_rulebook_with_errors_is_reported_like_check_and_writes_nothing(capsys, tmp_path):
    root = write_rulebook(
        tmp_path / "rb",
        {
            "catalog.yaml": """\
            departments: [{id: D, name: 部门}]
            items:
              - {code: A-1, name: 甲, department: D, type: commitment,
                 statutory_days: 5, committed_days: 9}
            """
        },
        extends="national",
    )
    out_dir = tmp_path / "site"
    code, out, err = run(capsys, "publish", str(root), "--out", str(out_dir))
    assert code == 2
    assert re.search(r"catalog\.yaml:\d+:\d+: NAT-COMMITTED-WITHIN-STATUTORY", out)
    assert "nothing published" in err
    assert not out_dir.exists()


def test_cli_publishes_despite_what_only_check_reports(capsys, tmp_path):
    """Publication runs the catalog rules, not the other static checks: a decision table
    whose rows overlap (an error of ``fyrules check``) does not stop it."""
    table = """\
        tables:
          - id: T-OVERLAP
            basis: b
            inputs: [{name: n, type: number, range: [0, 60]}]
            outputs: [{name: out, type: number}]
            rows:
              - ["[0..20]", 1]
              - ["[15..60]", 2]
        """
    root = tmp_path / "rb"
    shutil.copytree(FUYANG, root)
    (root / "tables" / "overlap.yaml").write_text(textwrap.dedent(table), encoding="utf-8")
    code, out, _ = run(capsys, "check", str(root))
    assert code == 1 and "TABLE-OVERLAP" in out
    code, out, err = run(capsys, "publish", str(root), "--out", str(tmp_path / "site"))
    assert code == 0, out + err
    assert (tmp_path / "site" / "index.html").is_file()


def test_cli_rulebook_that_does_not_load_is_exit_2_and_writes_nothing(capsys, tmp_path):
    root = write_rulebook(tmp_path / "rb", {"tables.yaml": "tables: [{id: T, hit: 1}]\n"})
    code, _, err = run(capsys, "publish", str(root), "--out", str(tmp_path / "site"))
    assert code == 2
    assert "tables.yaml:1:" in err and "规则集有错误 / the rulebook has errors" in err
    assert "Traceback" not in err and not (tmp_path / "site").exists()


def test_cli_unwritable_output_folder_is_exit_2(capsys, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    code, _, err = run(capsys, "publish", str(FUYANG), "--out", str(blocker / "site"))
    assert code == 2 and "cannot write" in err


def test_cli_bad_arguments_are_exit_2(capsys, tmp_path):
    assert run(capsys, "publish", str(FUYANG))[0] == 2  # --out is required
    assert run(capsys, "publish", str(tmp_path / "nowhere"), "--out", str(tmp_path))[0] == 2
    assert run(capsys, "publish", str(FUYANG), "--out", str(tmp_path), "--date", "x")[0] == 2
