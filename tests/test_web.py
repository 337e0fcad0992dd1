"""The web application (`directives serve`): a real server on the ingested corpus, driven over
HTTP and, where Debian's chromium is installed, in a real headless browser with Playwright.

The server runs as a subprocess of the real CLI on a free port on 127.0.0.1; readiness is polled
in a bounded loop and the process is always stopped. The browser blocks every request that does
not go to that server, so a page that needed a CDN would fail here.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("datasette", reason="datasette is not installed (pip install -e .)")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
DOC_004 = "004_ba6238f9405d9d7b.txt"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]

# A small plan whose text and header carry markup: it must be shown as text, never run.
SCRIPT_DOC = """ỦY BAN NHÂN DÂN
THÀNH PHỐ LAI CHÂU

Số: 77/KH-UBND

Lai Châu, ngày 02 tháng 01 năm 2025

KẾ HOẠCH

Thử nghiệm hiển thị <script>alert(1)</script> trong văn bản

Căn cứ Kế hoạch số 224-KH/ThU ngày 27/11/2024 của Thành ủy Lai Châu <b>in đậm</b>;

I. MỤC ĐÍCH <img src=x onerror="alert(2)">

1. Phòng Giáo dục và Đào tạo hoàn thành báo cáo <script>alert(3)</script> trước ngày 31/12/2030.

II. TỔ CHỨC THỰC HIỆN

Các cơ quan, đơn vị "<a href='javascript:alert(4)'>nhấn</a>" thực hiện đúng thời hạn.
"""


# --------------------------------------------------------------------------- fixtures

def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 30):
    """(status, headers (case-insensitive), body) of a GET."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.headers, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode("utf-8", "replace")


@pytest.fixture(scope="module")
def web_db(tmp_path_factory, corpus_db_path) -> Path:
    """The session's ingested corpus, plus a document written to try script injection."""
    from conftest import copy_db

    from pipeline.ingest import ingest

    d = tmp_path_factory.mktemp("web")
    script_doc = d / "script_doc.txt"
    script_doc.write_text(SCRIPT_DOC, encoding="utf-8")
    db = d / "directives.db"
    copy_db(corpus_db_path, db)
    report = ingest([script_doc], db, workers=0)
    assert not report.failed, report.failed
    assert report.ingested == 1
    return db


@pytest.fixture(scope="module")
def ids(web_db) -> dict:
    conn = sqlite3.connect(web_db)
    try:
        rows = dict(conn.execute("select path, id from documents").fetchall())
    finally:
        conn.close()
    by_name = {Path(p).name: i for p, i in rows.items()}
    return {"004": by_name[DOC_004], "script": by_name["script_doc.txt"]}


@pytest.fixture(scope="module")
def server(web_db, tmp_path_factory):
    """`directives serve --db … --port …` (default host) in a subprocess; yields the base URL."""
    port = _free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "pipeline", "serve", "--db", str(web_db), "--port", str(port)],
            stdout=out, stderr=subprocess.STDOUT, cwd=str(ROOT))
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"server exited with {proc.returncode}:\n{log.read_text()}")
            try:
                with urllib.request.urlopen(base + "/-/versions.json", timeout=2) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"server not ready after 60 s:\n{log.read_text()}")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


# --------------------------------------------------------------------------- unit level

def test_annotate_and_render_escape_everything():
    from pipeline.web.render import annotate
    from pipeline.web.render import render_text

    text = 'A <script>x</script> "q" & B'
    cits = [{"id": 1, "key": '9-NQ/TW"><script>', "issuer": "<i>I</i>", "date": "2020-01-02",
             "relation": "implements", "start": 2, "end": 20, "target_doc": None}]
    dls = [{"id": 7, "start": 22, "end": 25, "kind": "deadline", "value": "2030",
            "modifier": None, "agency": "<b>", "partners": []}]
    segs = annotate(text, cits, dls, [{"sid": "I", "start": 0}])
    assert "".join(s["text"] for s in segs) == text
    html = str(render_text(segs, lambda c: "/directive?key=" + urllib.parse.quote(c["key"], "")))
    assert "<script>" not in html and "<i>" not in html and "<b>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html
    assert 'data-key="9-NQ/TW&#34;&gt;&lt;script&gt;"' in html
    assert '<mark class="deadline"' in html and 'id="sec-I"' in html and 'id="dl-7"' in html


def test_annotate_ignores_spans_outside_the_text_and_nests_overlaps():
    from pipeline.web.render import annotate

    text = "0123456789"
    cits = [{"id": 1, "key": "A", "start": 0, "end": 8}, {"id": 2, "key": "B", "start": 2, "end": 4},
            {"id": 3, "key": "C", "start": 5, "end": 50}]
    segs = annotate(text, cits, [], [])
    assert "".join(s["text"] for s in segs) == text
    inner = [s for s in segs if s["text"] == "23"]
    assert inner and inner[0]["cite"]["key"] == "B"  # innermost citation wins
    assert all(s["cite"] is None or s["cite"]["key"] != "C" for s in segs)


def test_due_date():
    from pipeline.storage.browse import due_date

    from pipeline.deadlines.values import when_of_value

    def row(value, kind="deadline"):
        return dict(when_of_value(value).to_dict(), kind=kind)

    assert due_date(row("2025")) == "2025-12-31"
    assert due_date(row("2024-02")) == "2024-02-29"
    assert due_date(row("2024-09-05/2025-05-31")) == "2025-05-31"
    assert due_date(row("2024-09-05/2025-05-31", "start")) == "2024-09-05"
    assert due_date(row("2025-Q2")) == "2025-06-30"
    assert due_date(row("FREQ=YEARLY")) is None and due_date(row(None)) is None


def test_serve_binds_localhost_by_default():
    from pipeline.cli import build_parser

    args = build_parser().parse_args(["serve"])
    assert args.host == "127.0.0.1" and args.func.__name__ == "cmd_serve"


def test_serve_refuses_a_missing_database(tmp_path):
    from pipeline.cli import main

    missing = tmp_path / "nope.db"
    assert main(["serve", "--db", str(missing)]) == 2
    assert not missing.exists()  # nothing created


def test_serve_refuses_a_file_that_is_not_a_directives_database(tmp_path):
    from pipeline.cli import main

    other = tmp_path / "other.db"
    sqlite3.connect(other).close()
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not sqlite at all" * 100)
    assert main(["serve", "--db", str(other)]) == 2
    assert main(["serve", "--db", str(junk)]) == 2


def test_database_named_like_a_page_keeps_both_reachable(web_db, tmp_path):
    import asyncio

    from pipeline.web import build_datasette

    db = tmp_path / "search.db"
    shutil.copyfile(web_db, db)

    async def fetch():
        ds = build_datasette(db)
        await ds.invoke_startup()
        return [(await ds.client.get(u)).status_code
                for u in ("/search?q=x", "/search-db/documents", "/")]

    assert asyncio.run(fetch()) == [200, 200, 200]


def test_graph_library_is_vendored_from_the_npm_package():
    js = ROOT / "pipeline/web/static/vendor/cytoscape.min.js"
    head = js.read_text(encoding="utf-8")[:2000]
    assert "Copyright (c)" in head and "Cytoscape Consortium" in head  # license header kept
    assert (ROOT / "pipeline/web/static/vendor/cytoscape.LICENSE").is_file()
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    version = lock["packages"]["node_modules/cytoscape"]["version"]
    assert f'version="{version}"' in js.read_text(encoding="utf-8")


def test_templates_load_nothing_from_other_hosts():
    for f in (ROOT / "pipeline/web/templates").rglob("*.html"):
        assert not re.search(r"(src|href)=\"(https?:)?//", f.read_text(encoding="utf-8")), f


def _ro(path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def test_the_pages_read_the_graph_on_a_read_only_connection(web_db, ids):
    """Ingest keeps the graph in step, so a read-only connection answers every page; a key
    nothing cites names no directive."""
    from pipeline.web import graphview

    assert graphview.prepare(web_db) == 0  # nothing left to bring in after ingest
    conn = _ro(web_db)
    try:
        ref = graphview.resolve(conn, doc=str(ids["004"]))
        assert ref and ref.startswith("node:")
        assert graphview.resolve(conn, key="NO/SUCH") is None
        assert graphview.directive(conn, "NO/SUCH") is None
        d = graphview.directive(conn, "91-KL/TW")
        impl = {i["desc"]["doc_id"]: [p["label"] for p in i["path"]] for i in d["implementers"]}
        assert impl[ids["004"]][1:] == ["224-KH/ThU", "91-KL/TW"]
        assert d["coverage"]["known"] is False  # 91-KL/TW itself is not stored
        g = graphview.lineage(conn, ref)
        assert {"224-KH/ThU", "91-KL/TW", "29-NQ/TW"} <= {n["label"] for n in g["nodes"]}
    finally:
        conn.close()


def test_a_page_says_so_when_the_graph_is_out_of_date(web_db, tmp_path):
    """The server never writes: documents added behind its back give a clear 503 page naming
    the command to run, not a stale answer or a 500."""
    import shutil



    db_path = tmp_path / "stale.db"
    shutil.copy(web_db, db_path)
    conn = sqlite3.connect(db_path)
    conn.execute("insert into graph_dirty(document_id) select min(id) from documents")
    conn.commit()
    conn.close()
    r = _app_get(db_path, "/directive?key=91-KL%2FTW")
    assert r.status_code == 503
    assert "graph-rebuild" in r.text and "1 stored document" in r.text


# --------------------------------------------------------------------------- HTTP level

def test_pages_answer(server, ids):
    for path in ("/", "/search", f"/document/{ids['004']}", "/directive?key=91-KL%2FTW",
                 f"/directive?doc={ids['004']}", "/lineage?key=224-KH%2FThU", "/deadlines",
                 "/directives", "/directives/documents", "/directives/citations"):
        status, headers, body = _get(server + path)
        assert status == 200, (path, body[:500])
        assert headers["Content-Type"].startswith("text/html")
    assert _get(server + "/document/999999")[0] == 404
    assert _get(server + "/directive?key=NO-SUCH%2FKEY")[0] == 404
    assert _get(server + "/lineage.json?doc=abc")[0] == 404


def test_document_page_fields_outline_citations_deadlines(server, ids):
    status, _, body = _get(server + f"/document/{ids['004']}")
    assert status == 200
    assert "Ủy ban nhân dân thành phố Lai Châu" in body          # header field
    assert 'href="#sec-I"' in body and 'id="sec-I"' in body        # outline → text
    assert 'data-key="224-KH/ThU"' in body
    assert 'href="/directive?key=224-KH%2FThU"' in body            # click → cited page
    assert "Thành ủy Lai Châu" in body and "2024-11-27" in body    # hover text
    conn = sqlite3.connect(server_db_path(server))
    n_deadlines = conn.execute("select count(*) from deadlines where document_id = ?",
                               [ids["004"]]).fetchone()[0]
    conn.close()
    assert body.count("<tr data-deadline=") == n_deadlines


def server_db_path(server) -> Path:
    status, _, body = _get(server + "/-/databases.json")
    return Path(json.loads(body)[0]["path"])


def test_script_in_a_document_is_escaped(server, ids):
    status, _, body = _get(server + f"/document/{ids['script']}")
    assert status == 200
    assert "<script>alert" not in body and "<img src=x" not in body and "<b>in đậm" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "&lt;img src=x onerror=" in body
    status, _, body = _get(server + "/search?q=" + urllib.parse.quote("<script>alert(1)"))
    assert status == 200 and "<script>alert" not in body


def test_search_full_text_and_facets(server, ids):
    status, _, body = _get(server + "/search?q=" + urllib.parse.quote("giáo dục"))
    assert status == 200
    for facet in ("issuer", "type", "year"):
        assert f'data-facet="{facet}"' in body
    assert f'data-doc="{ids["004"]}"' in body and "<mark>" in body
    # a facet narrows the results
    _, _, narrowed = _get(server + "/search?q=" + urllib.parse.quote("giáo dục") + "&type=CT")
    docs = re.findall(r'data-doc="(\d+)"', narrowed)
    assert docs and f'data-doc="{ids["004"]}"' not in narrowed
    # "(none)" is a facet value too: documents without a year
    conn = sqlite3.connect(server_db_path(server))
    no_year = {str(r[0]) for r in conn.execute("select id from documents where year is null")}
    conn.close()
    assert no_year
    _, _, body = _get(server + "/search?year=__none__")
    assert set(re.findall(r'data-doc="(\d+)"', body)) == no_year
    # a cited number finds its directive page
    _, _, body = _get(server + "/search?q=" + urllib.parse.quote("91-KL/TW"))
    assert 'href="/directive?key=91-KL%2FTW"' in body
    # FTS syntax and SQL in the query are just words
    for q in ['" OR 1=1 --', "'; drop table documents; --", "NEAR(", "*"]:
        assert _get(server + "/search?q=" + urllib.parse.quote(q))[0] == 200
    # as phones type: no marks, d for đ; the number without its Đ finds the cited document
    _, _, body = _get(server + "/search?q=" + urllib.parse.quote("giao duc"))
    assert f'data-doc="{ids["004"]}"' in body and "<mark>" in body
    _, _, body = _get(server + "/search?q=" + urllib.parse.quote("91-kl/tw"))
    assert 'href="/directive?key=91-KL%2FTW"' in body
    # '%' and '_' are characters, not wildcards matching everything
    _, _, every = _get(server + "/search")
    _, _, pct = _get(server + "/search?q=%25")
    assert len(re.findall(r'data-doc="', pct)) < len(re.findall(r'data-doc="', every))


def test_lineage_json_up_and_down(server, ids):
    status, _, body = _get(server + "/lineage.json?key=224-KH%2FThU")
    assert status == 200
    g = json.loads(body)
    label = {n["id"]: n["label"] for n in g["nodes"]}
    doc004 = next(n for n in g["nodes"] if n["doc_id"] == ids["004"])
    assert {"224-KH/ThU", "91-KL/TW", "29-NQ/TW"} <= set(label.values())
    edges = {(label[e["source"]], e["relation"], label[e["target"]]) for e in g["edges"]}
    assert ("224-KH/ThU", "implements", "91-KL/TW") in edges
    assert ("91-KL/TW", "implements", "29-NQ/TW") in edges
    assert (doc004["label"], "implements", "224-KH/ThU") in edges
    assert [n["focus"] for n in g["nodes"] if n["label"] == "224-KH/ThU"] == [True]
    assert doc004["url"] == f"/document/{ids['004']}"
    url = {n["label"]: n["url"] for n in g["nodes"]}
    assert re.fullmatch(r"/directive\?(key=91-KL%2FTW|node=\d+)", url["91-KL/TW"])
    # levels are bounded: nothing above the focus with up=0
    _, _, body = _get(server + "/lineage.json?key=224-KH%2FThU&up=0")
    assert "29-NQ/TW" not in {n["label"] for n in json.loads(body)["nodes"]}


def test_directive_page_cited_by_implementers_coverage(server, ids):
    status, _, body = _get(server + "/directive?key=91-KL%2FTW")
    assert status == 200
    assert '<html lang="vi">' in body  # Vietnamese unless asked otherwise
    assert "Được trích dẫn bởi" in body and "Được thực hiện bởi" in body
    assert "Nơi nhận đã thực hiện" in body and "Cited by" not in body
    _, _, english = _get(server + "/directive?key=91-KL%2FTW&lang=en")
    assert '<html lang="en">' in english
    assert "Cited by" in english and "Implemented by" in english
    assert "Coverage of its recipients" in english
    impl = body[body.index('class="implementers"'):body.index('class="coverage"')]
    assert f'href="/document/{ids["004"]}"' in impl      # 004 implements it through 224-KH/ThU
    assert "224-KH/ThU" in impl and "→" in impl
    # the deadlines those implementing plans set, with their agency and chain
    dls = body[body.index('class="implementer-deadlines"'):body.index('class="coverage"')]
    assert f'href="/document/{ids["004"]}"' in dls and "định kỳ" in dls
    assert "224-KH/ThU → 91-KL/TW" in dls and "Phòng Giáo dục và Đào tạo" in dls


def test_deadlines_view_and_ics(server):
    status, _, body = _get(server + "/deadlines?since=2000-01-01")
    assert status == 200 and 'class="agency"' in body and "deadlines.ics" in body
    status, _, upcoming = _get(server + "/deadlines?since=2100-01-01")
    assert status == 200 and 'class="agency"' not in upcoming  # nothing is due after 2100
    status, headers, ics = _get(server + "/deadlines.ics?since=2000-01-01")
    try:
        import pipeline.ics  # noqa: F401
    except ImportError:
        assert status == 501
        return
    assert status == 200 and headers["Content-Type"].startswith("text/calendar")
    assert ics.startswith("BEGIN:VCALENDAR") and "BEGIN:VEVENT" in ics


def test_database_is_read_only(server, web_db):
    before = web_db.read_bytes()
    sql = urllib.parse.quote("delete from documents")
    status, _, body = _get(server + f"/directives.json?sql={sql}")
    assert status == 400 or "error" in body.lower()
    conn = sqlite3.connect(web_db)
    try:
        assert conn.execute("select count(*) from documents").fetchone()[0] > 0
    finally:
        conn.close()
    assert web_db.read_bytes() == before


def test_table_facets_from_datasette(server):
    status, _, body = _get(server + "/directives/documents.json?_facet=issuer&_facet=type"
                                    "&_facet=year&_shape=objects")
    assert status == 200
    data = json.loads(body)
    assert set(data["facet_results"]) >= {"issuer", "type", "year"}
    status, _, body = _get(server + "/directives/sections.json?_search="
                           + urllib.parse.quote("giáo dục") + "&_shape=objects")
    assert status == 200 and json.loads(body)["rows"]


# --------------------------------------------------------------------------- browser

@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing in CI: .ci/run must install Debian's chromium")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium); browser tests skipped")
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="playwright not installed (pip install -e '.[test]')")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(params=["desktop"])
def page(request, browser, server):
    """A page that may talk to the test server only: anything else is blocked and recorded.
    `phone`: the same at 390 × 844 CSS pixels, as a phone shows it."""
    size = {"desktop": (1400, 1000), "phone": (390, 844)}[request.param]
    ctx = browser.new_context(viewport={"width": size[0], "height": size[1]},
                              is_mobile=request.param == "phone", has_touch=request.param == "phone")
    pg = ctx.new_page()
    pg.set_default_timeout(20_000)
    host = urllib.parse.urlsplit(server).netloc
    pg.foreign_requests = []
    pg.dialogs = []
    pg.errors = []

    def route(r):
        if urllib.parse.urlsplit(r.request.url).netloc == host:
            r.continue_()
        else:
            pg.foreign_requests.append(r.request.url)
            r.abort()

    pg.route("**/*", route)
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    try:
        yield pg
    finally:
        ctx.close()
    assert pg.foreign_requests == [], "pages must not load anything from other hosts"
    assert pg.errors == [], pg.errors


def _graph_node_labels(page) -> list[str]:
    page.wait_for_selector('.lineage-graph[data-rendered="true"]')
    return page.evaluate("() => window.directivesGraphs[0].nodes().map(n => n.data('label'))")


def test_browser_004_citation_click_opens_lineage(page, server, ids):
    page.goto(f"{server}/document/{ids['004']}")
    assert "Lai Châu" in page.inner_text(".header-fields")
    assert page.locator(".outline-list li").count() > 3
    assert page.locator(".doctext mark.deadline").count() >= 1
    cite = page.locator('.doctext a.cite[data-key="224-KH/ThU"]').first
    cite.hover()
    tip = cite.evaluate("el => getComputedStyle(el, '::after').content")
    for part in ("224-KH/ThU", "Thành ủy Lai Châu", "2024-11-27", "quan hệ: thực hiện"):
        assert part in tip, tip
    cite.click()
    page.wait_for_url(re.compile(r"/directive\?key=224-KH%2FThU$"))
    nodes = _graph_node_labels(page)
    assert {"224-KH/ThU", "91-KL/TW", "29-NQ/TW"} <= set(nodes)
    assert page.locator(".lineage-graph canvas").count() >= 1
    assert "29-NQ/TW" in page.inner_text("body")


def test_browser_lineage_is_interactive(page, server):
    page.goto(f"{server}/lineage?key=224-KH%2FThU")
    assert {"91-KL/TW", "29-NQ/TW"} <= set(_graph_node_labels(page))
    box = page.locator(".lineage-graph").bounding_box()
    zoom = page.evaluate("() => window.directivesGraphs[0].zoom()")
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -400)
    page.wait_for_function(f"() => window.directivesGraphs[0].zoom() != {zoom}")
    pan = page.evaluate("() => window.directivesGraphs[0].pan()")
    page.mouse.move(box["x"] + 20, box["y"] + 20)
    page.mouse.down()
    page.mouse.move(box["x"] + 120, box["y"] + 90, steps=8)
    page.mouse.up()
    assert page.evaluate("() => window.directivesGraphs[0].pan()") != pan
    page.click(".lineage-fit")
    # clicking a node opens its page
    pos = page.evaluate("""() => window.directivesGraphs[0].nodes()
        .filter(n => n.data('label') === '91-KL/TW')[0].renderedPosition()""")
    page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
    page.wait_for_url(re.compile(r"/directive\?(key=91-KL%2FTW|node=\d+)$"))
    assert "91-KL/TW" in page.inner_text("h1")


def test_browser_script_document_shown_as_text(page, server, ids):
    page.goto(f"{server}/document/{ids['script']}")
    text = page.inner_text(".doctext")
    assert "<script>alert(1)</script>" in text
    assert '<img src=x onerror="alert(2)">' in text
    assert page.locator(".doctext script, .doctext img, .doctext b").count() == 0
    assert page.locator("script:not([src])").evaluate_all(
        "els => els.filter(e => e.textContent.includes('alert')).length") == 0
    assert "<script>alert(1)</script>" in page.inner_text("h1")
    page.wait_for_timeout(300)
    assert page.dialogs == []


def test_browser_search_facets_and_deadlines(page, server):
    page.goto(f"{server}/search")
    page.fill('input[name="q"]', "giáo dục")
    page.press('input[name="q"]', "Enter")
    page.wait_for_url(re.compile(r"/search\?q="))
    before = page.locator("article.result").count()
    assert before >= 2
    page.locator('.facet[data-facet="type"] li a').first.click()
    page.wait_for_url(re.compile(r"type="))
    assert 1 <= page.locator("article.result").count() <= before
    page.goto(f"{server}/deadlines?since=2000-01-01")
    assert page.locator("section.agency").count() >= 1
    href = page.get_attribute("a.ics", "href")
    assert href.startswith("/deadlines.ics?")


@pytest.mark.parametrize("path", [
    "/document/99999999999999999999999", "/document/0", "/directive?node=99999999999999999999999",
    "/directive?node=node:99999999999999999999", "/directive?key=" + "9" * 40,
    "/lineage.json?node=99999999999999999999999", "/lineage.json?doc=99999999999999999999999",
])
def test_ids_out_of_range_are_not_found(server, path):
    status, _, _ = _get(server + path)
    assert status == 404, path


def test_the_mentions_switch_changes_the_drawing(server):
    """The page's links send mentions=True (Python's spelling); it must count as on."""
    _, _, off = _get(server + "/lineage.json?key=91-KL%2FTW")
    _, _, on = _get(server + "/lineage.json?key=91-KL%2FTW&mentions=True")
    rel = lambda body: {e["relation"] for e in json.loads(body)["edges"]}  # noqa: E731
    assert json.loads(on)["mentions"] is True and json.loads(off)["mentions"] is False
    assert "mentions" not in rel(off) and "mentions" in rel(on)


def test_host_check_and_security_headers(server):
    """A page elsewhere cannot read the database through a rebinding host name; every reply
    carries a Content-Security-Policy, datasette's own pages too."""
    req = urllib.request.Request(server + "/", headers={"Host": "attacker.example"})
    try:
        urllib.request.urlopen(req, timeout=30)
        status = 200
    except urllib.error.HTTPError as e:
        status = e.code
    assert status == 400
    for path in ("/", "/-/databases.json", "/search?q=x"):
        status, headers, _ = _get(server + path)
        assert status == 200, path
        assert "default-src 'self'" in headers["Content-Security-Policy"], path
    from pipeline.web.guard import _host_name, allowed_hosts

    assert allowed_hosts("0.0.0.0") is None
    assert {_host_name(h) for h in ("localhost:8001", "127.0.0.1", "[::1]:80")} <= allowed_hosts("127.0.0.1")


# --------------------------------------------------------------------------- language, paging,
# relations, calendars (in process: the app on a database, no server)

def _app_get(db_path, path: str, *, cookies=None):
    import asyncio
    import concurrent.futures

    import httpx

    from pipeline.web import build_datasette

    ds = build_datasette(db_path)

    async def get():
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=ds.app()),
                                     base_url="http://localhost", cookies=cookies or {}) as c:
            return await c.get(path)

    # in a thread of its own: the browser tests' driver keeps an event loop in this one
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, get()).result()


def test_vietnamese_by_default_english_on_request_and_remembered(web_db):
    r = _app_get(web_db, "/")
    assert '<html lang="vi">' in r.text and "Tìm kiếm" in r.text and "Hạn công việc" in r.text
    assert "Overview" not in r.text
    r = _app_get(web_db, "/?lang=en")
    assert '<html lang="en">' in r.text and "Overview" in r.text
    assert r.cookies.get("directives_lang") == "en"
    kept = _app_get(web_db, "/search?q=giao+duc", cookies={"directives_lang": "en"})
    assert '<html lang="en">' in kept.text and "Search documents" in kept.text
    # the switch keeps the page and its parameters
    assert 'href="/search?q=giao+duc&amp;lang=vi"' in kept.text


def test_relations_and_recurrences_in_words(web_db, ids):
    body = _app_get(web_db, f"/document/{ids['004']}").text
    panel = body[body.index('class="relations-panel"'):body.index('class="outline"')]
    assert "Thực hiện" in panel and "224-KH/ThU" in panel      # what 004 implements
    assert "Căn cứ" in panel and "740/KH-BCSD" in panel        # and is based on
    assert ">implements<" not in panel  # shown in Vietnamese (the class names stay)
    dl = _app_get(web_db, "/deadlines?since=2000-01-01&past=1&undated=1").text
    assert "FREQ=" not in dl and "hằng năm" in dl
    english = _app_get(web_db, "/deadlines?since=2000-01-01&past=1&undated=1&lang=en").text
    assert "every year" in english and "FREQ=" not in english


def test_relations_panel_states_replacement(tmp_path):
    """A document replaced by a later one says so, with the act and its date."""
    from test_graph import build, cit, record

    from pipeline.model import Header
    from pipeline.web import graphview

    old = record("a.txt", Header(type="TT", key="01/2020/TT-BGDĐT", number="01", year=2020,
                                 issuer="Bộ Giáo dục và Đào tạo", date="2020-01-10",
                                 title="Quy định A"), [])
    new = record("b.txt", Header(type="TT", key="05/2024/TT-BGDĐT", number="05", year=2024,
                                 issuer="Bộ Giáo dục và Đào tạo", date="2024-03-01",
                                 title="Quy định A mới"),
                 [cit("01/2020/TT-BGDĐT", "replaces", date="2020-01-10",
                      issuer="Bộ Giáo dục và Đào tạo")])
    db = build(tmp_path, [old, new])
    panel = graphview.relations(db.conn, "01/2020/TT-BGDĐT")
    assert panel["status"] == "replaced"
    assert [(a["relation"], a["desc"]["label"]) for a in panel["acts"]] == \
        [("replaces", "05/2024/TT-BGDĐT")]
    assert [d["label"] for d in panel["incoming"]["replaces"]] == ["05/2024/TT-BGDĐT"]
    db.close()
    body = _app_get(tmp_path / "g.db", "/directive?key=01/2020/TT-BGDĐT").text
    status = body[body.index('class="validity-status"'):]
    assert "Bị thay thế bởi" in status[:300] and "05/2024/TT-BGDĐT" in status[:300]


def test_a_document_number_typed_as_on_a_phone_goes_straight_to_its_page(web_db):
    for typed in ("91-KL/TW", "91/KL-TW", "2236/QD-BGDDT", " 2236 / QĐ-BGDĐT "):
        r = _app_get(web_db, "/search?q=" + urllib.parse.quote(typed))
        assert r.status_code == 302, typed
        assert r.headers["location"].startswith("/directive?key="), (typed, r.headers)
    words = _app_get(web_db, "/search?q=giao+duc")
    assert words.status_code == 200 and 'class="result"' in words.text


def test_search_home_and_deadlines_are_paged(web_db, monkeypatch):
    from pipeline.web import views

    monkeypatch.setattr(views, "SEARCH_PAGE", 2)
    monkeypatch.setattr(views, "HOME_PAGE", 2)
    monkeypatch.setattr(views, "DEADLINES_PAGE", 5)
    first = _app_get(web_db, "/search?q=k%E1%BA%BF+ho%E1%BA%A1ch").text
    total = int(re.search(r'<p class="total">(\d+)', first).group(1))
    assert total > 2 and first.count('class="result"') == 2
    assert 'rel="next"' in first and 'rel="prev"' not in first
    last_page = -(-total // 2)
    last = _app_get(web_db, f"/search?q=k%E1%BA%BF+ho%E1%BA%A1ch&page={last_page}").text
    assert last.count('class="result"') == total - 2 * (last_page - 1) and 'rel="next"' not in last
    home = _app_get(web_db, "/?page=2").text
    assert home.count("<tr") - 1 <= 2 and 'rel="prev"' in home
    dl = _app_get(web_db, "/deadlines?since=2000-01-01&past=1&undated=1").text
    assert dl.count('<tr') - dl.count('<thead><tr') == 5 and 'rel="next"' in dl


def test_calendars_per_document_and_per_directive_link_back(web_db, ids):
    r = _app_get(web_db, f"/document/{ids['004']}.ics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")
    text = r.text.replace("\r\n ", "")
    assert text.count("BEGIN:VEVENT") >= 1
    assert f"URL:http://localhost/document/{ids['004']}#dl-" in text
    assert "/work/" not in text and "corpus/" not in text  # no paths of this machine
    r = _app_get(web_db, "/directive.ics?key=91-KL%2FTW")
    assert r.status_code == 200 and "BEGIN:VEVENT" in r.text
    assert "URL:http://localhost/document/" in r.text.replace("\r\n ", "")
    assert _app_get(web_db, "/document/999999.ics").status_code == 404
    assert _app_get(web_db, "/directive.ics?key=NO%2FSUCH").status_code == 404


@pytest.mark.parametrize("page", ["phone"], indirect=True)
@pytest.mark.parametrize("path", ["/", "/search?q=giao+duc", "/document/{004}",
                                  "/directive?key=91-KL%2FTW", "/deadlines?since=2000-01-01",
                                  "/lineage?key=224-KH%2FThU"])
def test_browser_every_page_fits_a_phone(page, server, ids, path):
    """At 390 px nothing is wider than the screen (tables scroll inside their own box) and
    the document's text gets the width (the side column moves above it)."""
    page.goto(server + path.replace("{004}", str(ids["004"])))
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 391
    if "/document/" in path:
        assert page.locator(".doctext").bounding_box()["width"] >= 300


@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_browser_on_a_phone_a_number_or_plain_words_reach_the_page_in_one_step(page, server):
    page.goto(server + "/")
    assert page.evaluate("() => document.documentElement.lang") == "vi"
    page.fill('input[name="q"]', "91-KL/TW")
    page.press('input[name="q"]', "Enter")
    page.wait_for_url(re.compile(r"/directive\?key="))
    assert "91-KL/TW" in page.inner_text("h1")
    page.goto(server + "/")
    page.fill('input[name="q"]', "giao duc")
    page.press('input[name="q"]', "Enter")
    page.wait_for_url(re.compile(r"/search\?q="))
    assert page.locator("article.result").count() >= 2
    assert "giáo dục" in page.inner_text("article.result >> nth=0").lower() or \
        "giáo dục" in page.inner_text(".results").lower()


def test_browser_wide_layers_fold_into_rows(page, server):
    """A layer with many documents is drawn in rows, not one line as wide as all of them."""
    page.goto(f"{server}/lineage?key=91-KL%2FTW&down=6")
    page.wait_for_selector('.lineage-graph[data-rendered="true"]')
    xs = page.evaluate("() => window.directivesGraphs[0].nodes().map(n => n.position('x'))")
    assert max(xs) - min(xs) <= 6 * 190


def test_a_basis_is_not_an_implementer_and_unstored_directives_list_plans_by_issuer(web_db, ids):
    """004 gives 740/KH-BCSD as a basis ("Căn cứ") and implements 224-KH/ThU: 740's page lists it
    as based on, never under "Implemented by"."""
    body = _app_get(web_db, "/directive?key=740%2FKH-BCSD").text
    impl = body[body.index('class="implementers"'):body.index('class="coverage"')]
    assert f'/document/{ids["004"]}"' not in impl
    panel = body[body.index('class="relations-panel"'):body.index('class="lineage-section"')]
    assert "Là căn cứ của" in panel and f'/document/{ids["004"]}"' in panel
    # 91-KL/TW is not stored, so its recipients are unknown: its plans grouped by issuer instead
    body = _app_get(web_db, "/directive?key=91-KL%2FTW").text
    cov = body[body.index('class="coverage"'):]
    assert 'class="rows-and-columns by-issuer"' in cov and "Thành ủy Lai Châu" in cov


def test_two_documents_with_one_number_are_kept_apart(tmp_path):
    """121/KH-UBND of Lai Châu and of Lào Cai are two documents: the number's page lists both,
    each with its own page, instead of merging their citers."""
    from test_graph import build, cit, record

    from pipeline.model import Header

    a = record("a.txt", Header(type="KH", title="Kế hoạch A", year=2024,
                               issuer="Ủy ban nhân dân huyện Tam Đường"),
               [cit("121/KH-UBND", "implements", date="2024-05-02",
                    issuer="Ủy ban nhân dân tỉnh Lai Châu")])
    b = record("b.txt", Header(type="KH", title="Kế hoạch B", year=2024,
                               issuer="Ủy ban nhân dân huyện Bát Xát"),
               [cit("121/KH-UBND", "implements", date="2024-06-10",
                    issuer="Ủy ban nhân dân tỉnh Lào Cai")])
    build(tmp_path, [a, b]).close()
    body = _app_get(tmp_path / "g.db", "/directive?key=121%2FKH-UBND").text
    items = body[body.index('class="homonyms"'):]
    assert "Lai Châu" in items and "Lào Cai" in items
    links = re.findall(r'href="(/directive\?node=\d+)"', items)
    assert len(set(links)) == 2
    one = _app_get(tmp_path / "g.db", links[0]).text
    cited_by = one[one.index('class="cited-by"'):one.index('class="implementers"')]
    assert ("Tam Đường" in cited_by) != ("Bát Xát" in cited_by)  # its own citer only


def test_browser_relations_panel_paging_and_calendar_links(page, server, ids):
    """In a real browser: the document page's relations panel and calendar link, the lineage
    drawing's captions, and the language switch."""
    page.goto(f"{server}/document/{ids['004']}")
    panel = page.inner_text(".relations-panel")
    assert "Thực hiện" in panel and "224-KH/ThU" in panel and "Căn cứ" in panel
    href = page.get_attribute('a[href$=".ics"]', "href")
    assert href == f"/document/{ids['004']}.ics"
    page.wait_for_selector('.lineage-graph[data-rendered="true"]')
    captions = page.evaluate("() => window.directivesGraphs[0].nodes().map(n => n.data('caption'))")
    assert any(c.startswith("224-KH/ThU · Thành ủy Lai Châu") for c in captions), captions
    page.click("a.lang-switch")
    page.wait_for_url(re.compile(r"lang=en"))
    assert page.evaluate("() => document.documentElement.lang") == "en"
    assert "Implements" in page.inner_text(".relations-panel")


def test_datasette_pages_in_vietnamese_where_they_can_be(web_db):
    """Datasette's own pages take our titles and descriptions, and a stylesheet that keeps
    facet values from breaking inside a syllable."""
    db_name = Path(web_db).stem
    r = _app_get(web_db, f"/{db_name}/documents")
    assert r.status_code == 200
    assert "Mỗi tệp đã nạp một dòng" in r.text and "datasette-vi.css" in r.text
    css = _app_get(web_db, "/-/directives-static/datasette-vi.css")
    assert css.status_code == 200 and "word-break: normal" in css.text


def test_coverage_of_an_unstored_directive_names_the_bodies_its_plans_expect(web_db):
    body = _app_get(web_db, "/directive?key=91-KL%2FTW").text
    cov = body[body.index('class="coverage"'):]
    table = cov[cov.index('class="rows-and-columns expected"'):]
    assert "ủy ban nhân dân xã" in table and "Nêu trong" in cov


def test_agency_filter_ignores_case_and_marks_beyond_ascii(web_db):
    """SQLite's lower() folds ASCII only: 'ủy ban' must still find 'Ủy ban nhân dân …'; '%' is
    a character, not a wildcard."""
    from pipeline.domain import fold_text
    from pipeline.storage import open_db
    from pipeline.storage.browse import deadlines_by_agency
    from pipeline.storage.queries import deadlines

    db = open_db(web_db, readonly=True)
    everything = deadlines(db)
    lead = next(r["agency"] for r in everything if r["agency"] and r["agency"][0] in "ỦĐ")

    def expected(typed):
        want = fold_text(typed)
        return sorted(r["id"] for r in everything
                      if want in fold_text(r["agency"] or "")
                      or want in fold_text(" ".join(r["partners"])))

    for typed in (lead.lower(), lead.upper(), lead[:6].lower()):
        got = sorted(r["id"] for r in deadlines(db, agency=typed))
        assert got == expected(typed) and got, typed
        assert any(r["agency"] == lead for r in deadlines(db, agency=typed))
        shown = deadlines_by_agency(db.conn, start="2000-01-01", agency=typed,
                                    include_past=True, include_undated=True)
        assert shown["counts"]["total"] == len(got), typed
    assert deadlines(db, agency="%") == []


def test_browser_directive_coverage_and_paged_lists(page, server):
    """In a real browser: the coverage of a directive that is not stored (the bodies its plans
    expect, and its plans by issuer), and the pager's links where a list is paged."""
    page.goto(f"{server}/directive?key=91-KL%2FTW")
    cov = page.inner_text("section.coverage")
    assert "ủy ban nhân dân xã" in cov and "Thành ủy Lai Châu" in cov
    assert page.locator("section.coverage table.expected tr").count() > 2
    page.goto(f"{server}/search?q=k%E1%BA%BF+ho%E1%BA%A1ch&page=1")
    total = int(page.inner_text("p.total").split()[0])
    assert page.locator("article.result").count() == min(total, 50)
