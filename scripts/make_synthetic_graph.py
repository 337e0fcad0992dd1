#!/usr/bin/env python3
"""Build a synthetic directives database of realistic shape, for benchmarking the graph queries.

Shape (scaled to --documents): a few dozen central documents (Party NQ/KL/CT of the Central
Committee, government and ministry acts), chained to one another (91-KL/TW implements 29-NQ/TW);
for each, every province's Party committee and People's Committee issue implementing plans,
each district's committees implement those, and communes implement the district plans; the rest
are routine annual plans of communes and districts that implement the annual plans above them.
Every document cites its parents in the title (implements) and preamble (based_on), mentions the
central document and laws in the body, and states the chain it stands in ("Kế hoạch số X của UBND
tỉnh về thực hiện Kết luận số 91-KL/TW" → a stated edge). Numbers restart every year per issuer
(every term for Party committees), so `15/KH-UBND` exists for many issuers; a small share of
short mentions leave out the date or the issuer, as real texts do, which gives partial identities
(some resolve, some stay ambiguous).

Rows go straight into documents / citations / relations with executemany in large transactions
(indexes dropped while loading and rebuilt after), then pipeline.graph.rebuild derives the graph
tables. Databases belong under /tmp, never in the repository.

    python3 scripts/make_synthetic_graph.py --db /tmp/synthetic.db              # 1M documents
    python3 scripts/make_synthetic_graph.py --db /tmp/synthetic-100k.db --quick # 100k
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlite_utils  # noqa: E402

from pipeline import graph, storage as store  # noqa: E402

PROVINCES = [
    "Hà Giang", "Cao Bằng", "Bắc Kạn", "Tuyên Quang", "Lào Cai", "Điện Biên", "Lai Châu",
    "Sơn La", "Yên Bái", "Hòa Bình", "Thái Nguyên", "Lạng Sơn", "Quảng Ninh", "Bắc Giang",
    "Phú Thọ", "Vĩnh Phúc", "Bắc Ninh", "Hải Dương", "Hưng Yên", "Thái Bình", "Hà Nam",
    "Nam Định", "Ninh Bình", "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Quảng Bình", "Quảng Trị",
    "Thừa Thiên Huế", "Quảng Nam", "Quảng Ngãi", "Bình Định", "Phú Yên", "Khánh Hòa",
    "Ninh Thuận", "Bình Thuận", "Kon Tum", "Gia Lai", "Đắk Lắk", "Đắk Nông", "Lâm Đồng",
    "Bình Phước", "Tây Ninh", "Bình Dương", "Đồng Nai", "Bà Rịa - Vũng Tàu", "Long An",
    "Tiền Giang", "Bến Tre", "Trà Vinh", "Vĩnh Long", "Đồng Tháp", "An Giang", "Kiên Giang",
    "Hậu Giang", "Sóc Trăng", "Bạc Liêu", "Cà Mau", "Cần Thơ", "Hải Phòng", "Đà Nẵng",
    "Hà Nội", "Hồ Chí Minh",
]
SYLLABLES = (
    "An Bình Châu Dương Đông Giang Hà Hải Hòa Hưng Khánh Lạc Lâm Long Lộc Minh Mường Nam "
    "Ninh Phong Phú Phúc Quang Sơn Tâm Tân Thanh Thành Thạnh Thuận Thủy Tiến Trung Tú Văn "
    "Vĩnh Xuân Yên Bản Giang Tè Than Uyên Sìn Hồ Đường Nậm Pa Khoen Lư Cang Chải Mù Na").split()
TYPE_NAME = {"KH": "Kế hoạch", "NQ": "Nghị quyết", "KL": "Kết luận", "CT": "Chỉ thị",
             "QĐ": "Quyết định", "CTr": "Chương trình", "TT": "Thông tư", "HD": "Hướng dẫn"}
LAWS = [("43/2019/QH14", "Luật", "Quốc hội", "2019-06-14"),
        ("88/2014/QH13", "NQ", "Quốc hội", "2014-11-28"),
        ("51/2017/QH14", "NQ", "Quốc hội", "2017-11-21"),
        ("09/2024/TT-BGDĐT", "TT", "Bộ Giáo dục và Đào tạo", "2024-06-03"),
        ("32/2020/TT-BGDĐT", "TT", "Bộ Giáo dục và Đào tạo", "2020-09-15"),
        ("71/2020/NĐ-CP", "NĐ", "Chính phủ", "2020-06-30")]
YEARS = list(range(2015, 2026))


def _iso(d: dt.date) -> str:
    return d.isoformat()


def _vn(d: str) -> str:
    y, m, dd = d.split("-")
    return f"{int(dd):02d}/{int(m)}/{y}"


class Body:
    """An issuing body: its name as printed, how its numbers are written, its number series."""
    __slots__ = ("name", "short", "party", "symbol", "level", "children", "communes",
                 "province", "counters")

    def __init__(self, name, short, party, symbol, level, province=None):
        self.name, self.short, self.party, self.symbol = name, short, party, symbol
        self.level, self.province = level, province
        self.children: list = []
        self.communes: list = []
        self.counters: dict = {}

    def next_number(self, rng, year: int) -> int:
        """State numbers restart every year; Party numbers every term (5 years)."""
        period = (year - 1) // 5 if self.party else year
        n = self.counters.get(period)
        if n is None:
            n = rng.randint(1, 60 if self.level != "province" else 300)
        n += rng.randint(1, 3 if self.level == "commune" else 12)
        self.counters[period] = n
        return n

    def key(self, number: int, type_: str = "KH") -> str:
        if self.party:
            return f"{number}-{type_}/{self.symbol}"
        return f"{number}/{type_}-{self.symbol}"


class Doc:
    __slots__ = ("id", "key", "type", "number", "year", "date", "body", "title", "parent")

    def __init__(self, id_, key, type_, number, year, date, body, title, parent=None):
        self.id, self.key, self.type, self.number = id_, key, type_, number
        self.year, self.date, self.body, self.title, self.parent = year, date, body, title, parent


class Generator:
    def __init__(self, conn: sqlite3.Connection, documents: int, mentions: float, seed: int):
        self.conn = conn
        self.rng = random.Random(seed)
        self.target = documents
        self.mentions = mentions
        self.next_id = 1
        self.doc_rows: list = []
        self.cit_rows: list = []
        self.rel_rows: list = []
        self.n_docs = self.n_cits = self.n_rels = 0
        self.names: set[str] = set()
        self.sample: dict = {}

    # ------------------------------------------------------------------ geography
    def _name(self) -> str:
        for _ in range(1000):
            n = f"{self.rng.choice(SYLLABLES)} {self.rng.choice(SYLLABLES)}"
            if n not in self.names:
                self.names.add(n)
                return n
        n = f"{self.rng.choice(SYLLABLES)} {len(self.names)}"
        self.names.add(n)
        return n

    def geography(self, districts_per_province: int, communes_per_district: int):
        self.provinces = []
        for p in PROVINCES:
            tu = Body(f"Tỉnh ủy {p}", f"Ban Thường vụ Tỉnh ủy {p}", True, "TU", "province", p)
            ub = Body(f"Ủy ban nhân dân tỉnh {p}", f"UBND tỉnh {p}", False, "UBND", "province", p)
            so = Body(f"Sở Giáo dục và Đào tạo tỉnh {p}", f"Sở GD&ĐT tỉnh {p}", False, "SGDĐT",
                      "province", p)
            prov = {"name": p, "tu": tu, "ub": ub, "so": so, "districts": []}
            for _ in range(max(1, int(self.rng.gauss(districts_per_province, 2)))):
                d = self._name()
                hu = Body(f"Huyện ủy {d}", f"Ban Thường vụ Huyện ủy {d}", True, "HU", "district", p)
                uh = Body(f"Ủy ban nhân dân huyện {d}", f"UBND huyện {d}", False, "UBND",
                          "district", p)
                dist = {"name": d, "hu": hu, "ub": uh, "communes": []}
                for _ in range(max(1, int(self.rng.gauss(communes_per_district, 3)))):
                    c = self._name()
                    dist["communes"].append(Body(f"Ủy ban nhân dân xã {c}", f"UBND xã {c}",
                                                 False, "UBND", "commune", p))
                prov["districts"].append(dist)
            self.provinces.append(prov)
        self.n_districts = sum(len(p["districts"]) for p in self.provinces)
        self.n_communes = sum(len(d["communes"]) for p in self.provinces for d in p["districts"])

    # ------------------------------------------------------------------ writing
    def flush(self, force=False):
        if self.doc_rows and (force or len(self.doc_rows) >= 20_000):
            self.conn.executemany(
                "insert into documents(id, path, sha256, format, size, status, ingested_at, key, "
                "type, type_name, number, year, symbol, issuer, issuer_inferred, place, date, "
                "date_text, title, recipients, text) "
                "values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", self.doc_rows)
            self.doc_rows.clear()
        if self.cit_rows and (force or len(self.cit_rows) >= 200_000):
            self.conn.executemany(
                "insert into citations(document_id, key, type, number, year, symbol, date, "
                "issuer, term, title, relation, position, section, text, start, end, short_form) "
                "values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", self.cit_rows)
            self.cit_rows.clear()
        if self.rel_rows and (force or len(self.rel_rows) >= 50_000):
            self.conn.executemany("insert into relations(document_id, source, relation, target, "
                                  "evidence) values (?,?,?,?,?)", self.rel_rows)
            self.rel_rows.clear()

    def add_doc(self, body: Body, year: int, date: str, title: str, recipients, cites, rels,
                type_: str = "KH", key: str | None = None, issuer: str | None = None,
                number: int | None = None) -> Doc:
        """One document with its mentions (cites: [(target Doc or law tuple, relation,
        position, mode)]) and stated chains (rels: [(source key, relation, target key)])."""
        did = self.next_id
        self.next_id += 1
        if key is None:
            number = body.next_number(self.rng, year)
            key = body.key(number, type_)
        symbol = key.split("/", 1)[1] if "/" in key else None
        doc = Doc(did, key, type_, str(number), year, date, body, title)
        self.doc_rows.append((
            did, f"synthetic/{did:07d}.txt", f"{did:064x}", "text", 1000, "ok",
            "2025-01-01T00:00:00", key, type_, TYPE_NAME.get(type_, type_), str(number), year,
            symbol, issuer or body.name, 0, body.province, date, None, title,
            json.dumps(recipients, ensure_ascii=False), None))
        start = 0
        rng = self.rng
        for target, relation, position, mode in cites:
            if isinstance(target, Doc):
                key_, type_t, number_t = target.key, target.type, target.number
                date_t, issuer_t = target.date, target.body.short if rng.random() < 0.3 \
                    else target.body.name
                title_t = target.title if position != "body" else None
            else:
                key_, type_t, issuer_t, date_t = target
                number_t, title_t = key_.split("/")[0].split("-")[0], None
            term = None
            if mode == "no_date":
                date_t = None
            elif mode == "bare":
                date_t, issuer_t = None, None
            year_t = int(date_t[:4]) if date_t else None
            if "/" in key_ and key_.split("/", 1)[1] == "TW" and date_t and rng.random() < 0.3:
                term = "XIII" if year_t >= 2021 else "XII" if year_t >= 2016 else "XI"
            text = f"{TYPE_NAME.get(type_t, type_t)} số {key_}" + (
                f" ngày {_vn(date_t)}" if date_t else "") + (f" của {issuer_t}" if issuer_t else "")
            section = None if position != "body" else f"{rng.choice('I II III'.split())}." \
                                                       f"{rng.randint(1, 6)}"
            self.cit_rows.append((did, key_, type_t, number_t, year_t,
                                  key_.split("/", 1)[1] if "/" in key_ else None, date_t,
                                  issuer_t, term, title_t, relation, position, section, text,
                                  start, start + len(text), int(mode != "full")))
            start += len(text) + rng.randint(20, 400)
        for s, rel, t in rels:
            self.rel_rows.append((did, s, rel, t, f"{s} về {rel} {t}"))
        self.n_docs += 1
        self.n_cits += len(cites)
        self.n_rels += len(rels)
        self.flush()
        return doc

    def _mode(self) -> str:
        r = self.rng.random()
        return "bare" if r < 0.002 else "no_date" if r < 0.03 else "full"

    def cites_for(self, parent: Doc, based: list, extra: list) -> list:
        """Title: implements parent; preamble: based on parent (and `based`); body: mentions of
        the parent, `extra` and laws, up to about --mentions per document."""
        rng = self.rng
        out = [(parent, "implements", "title", "full"), (parent, "based_on", "preamble", "full")]
        out += [(b, "based_on", "preamble", "full") for b in based]
        pool = [parent] * 3 + list(based) + list(extra) + [rng.choice(LAWS)]
        n = max(len(out) + 1, int(rng.gauss(self.mentions, 2.5)))
        while len(out) < n:
            out.append((rng.choice(pool), "mentions", "body", self._mode()))
        return out

    # ------------------------------------------------------------------ documents
    def central(self, n: int) -> list[Doc]:
        """Central documents: two Party roots from the corpus (29-NQ/TW, 91-KL/TW) and others
        chained under earlier ones; one deliberate cycle (a directive and its guide cite each
        other as implementing) to keep the queries honest."""
        tw = Body("Bộ Chính trị", "Bộ Chính trị", True, "TW", "central")
        bch = Body("Ban Chấp hành Trung ương Đảng", "Ban Chấp hành Trung ương", True, "TW",
                   "central")
        cp = Body("Chính phủ", "Chính phủ", False, "CP", "central")
        ttg = Body("Thủ tướng Chính phủ", "Thủ tướng Chính phủ", False, "TTg", "central")
        bgd = Body("Bộ Giáo dục và Đào tạo", "Bộ Giáo dục và Đào tạo", False, "BGDĐT", "central")
        docs = []
        nq29 = self.add_doc(bch, 2013, "2013-11-04", "về đổi mới căn bản, toàn diện giáo dục và "
                            "đào tạo", [], [], [], "NQ", key="29-NQ/TW", number=29)
        docs.append(nq29)
        kl91 = self.add_doc(tw, 2024, "2024-08-12", "về tiếp tục thực hiện Nghị quyết số "
                            "29-NQ/TW", [], [(nq29, "implements", "title", "full")], [], "KL",
                            key="91-KL/TW", number=91)
        kl91.parent = nq29
        docs.append(kl91)
        used = {"29-NQ/TW", "91-KL/TW"}
        bodies = [(tw, "KL"), (tw, "CT"), (bch, "NQ"), (cp, "NQ"), (ttg, "CT"), (ttg, "QĐ"),
                  (bgd, "CT"), (bgd, "KH")]
        while len(docs) < n:
            body, type_ = self.rng.choice(bodies)
            year = self.rng.choice(YEARS)
            d = dt.date(year, self.rng.randint(1, 12), self.rng.randint(1, 28))
            number = body.next_number(self.rng, year)
            key = body.key(number, type_)
            if key in used:
                continue
            used.add(key)
            earlier = [x for x in docs if x.date < _iso(d)]
            parent = self.rng.choice(earlier) if earlier and self.rng.random() < 0.7 else None
            cites = [(parent, "implements", "title", "full")] if parent else []
            doc = self.add_doc(body, year, _iso(d), f"về nhiệm vụ giáo dục {year}",
                               [], cites, [], type_, key=key, number=number)
            doc.parent = parent
            docs.append(doc)
        a, b = docs[2], docs[3]   # the cycle: b implements a was not said; now both ways
        self.add_doc(a.body, a.year, a.date, "hướng dẫn thực hiện", [],
                     [(a, "implements", "title", "full"), (b, "implements", "preamble", "full")],
                     [(b.key, "implements", a.key)], "HD")
        for x, y in ((a, b), (b, a)):  # x's text says it implements y
            text = f"{TYPE_NAME.get(y.type, y.type)} số {y.key}"
            self.cit_rows.append((x.id, y.key, y.type, y.number, y.year, y.key.split("/", 1)[1],
                                  y.date, y.body.name, None, None, "implements", "preamble",
                                  None, text, 90_000, 90_000 + len(text), 0))
            self.n_cits += 1
        return docs

    def campaign(self, c: Doc, commune_share: float) -> None:
        """Every province, district and (a share of) commune implementing central document c."""
        rng = self.rng
        chain = [(c.key, "implements", c.parent.key)] if c.parent else []
        extra_c = [c] + ([c.parent] if c.parent else [])
        for prov in self.provinces:
            base = dt.date.fromisoformat(c.date)
            d1 = base + dt.timedelta(days=rng.randint(10, 90))
            tu_plan = self.add_doc(
                prov["tu"], d1.year, _iso(d1), f"thực hiện {TYPE_NAME[c.type]} số {c.key}",
                ["Các huyện ủy, thành ủy", "Ban cán sự đảng UBND tỉnh", "Lưu Văn phòng Tỉnh ủy"],
                self.cites_for(c, [], extra_c[1:]), chain)
            d2 = d1 + dt.timedelta(days=rng.randint(5, 60))
            ub_plan = self.add_doc(
                prov["ub"], d2.year, _iso(d2), f"thực hiện Kế hoạch số {tu_plan.key}",
                ["Sở Giáo dục và Đào tạo", "UBND các huyện, thành phố", "Lưu: VT"],
                self.cites_for(tu_plan, [c], extra_c),
                [(tu_plan.key, "implements", c.key)] + chain)
            if rng.random() < 0.5:
                d3 = d2 + dt.timedelta(days=rng.randint(5, 40))
                self.add_doc(prov["so"], d3.year, _iso(d3), f"thực hiện Kế hoạch số {ub_plan.key}",
                             ["Phòng GD&ĐT các huyện, thành phố", "Lưu: VT"],
                             self.cites_for(ub_plan, [], extra_c),
                             [(ub_plan.key, "implements", tu_plan.key)])
            self.sample.setdefault("province_plan", ub_plan.key)
            self.sample.setdefault("province_year", ub_plan.year)
            self.sample.setdefault("province_issuer", prov["ub"].name)
            for dist in prov["districts"]:
                d4 = d2 + dt.timedelta(days=rng.randint(5, 60))
                hu_plan = self.add_doc(
                    dist["hu"], d4.year, _iso(d4), f"thực hiện Kế hoạch số {tu_plan.key}",
                    ["Các chi, đảng bộ trực thuộc", "Lưu"],
                    self.cites_for(tu_plan, [], extra_c), [(tu_plan.key, "implements", c.key)])
                d5 = d4 + dt.timedelta(days=rng.randint(5, 60))
                uh_plan = self.add_doc(
                    dist["ub"], d5.year, _iso(d5), f"thực hiện Kế hoạch số {ub_plan.key}",
                    ["UBND các xã, thị trấn", "Phòng Giáo dục và Đào tạo", "Lưu: VT"],
                    self.cites_for(ub_plan, [hu_plan], extra_c),
                    [(ub_plan.key, "implements", tu_plan.key)])
                self.sample.setdefault("district_plan", f"synthetic/{uh_plan.id:07d}.txt")
                for com in dist["communes"]:
                    if rng.random() >= commune_share:
                        continue
                    d6 = d5 + dt.timedelta(days=rng.randint(5, 60))
                    leaf = self.add_doc(
                        com, d6.year, _iso(d6), f"thực hiện Kế hoạch số {uh_plan.key}",
                        ["Các trường học trên địa bàn xã", "Lưu: VT"],
                        self.cites_for(uh_plan, [ub_plan], [c]),
                        [(uh_plan.key, "implements", ub_plan.key),
                         (ub_plan.key, "implements", tu_plan.key)])
                    self.sample.setdefault("leaf", f"synthetic/{leaf.id:07d}.txt")

    def routine(self, n: int) -> None:
        """Annual school-year plans: province → district → commune, then other commune plans
        implementing their district's annual plan, until `n` documents."""
        rng = self.rng
        start = self.n_docs
        annual: dict = {}
        for year in YEARS:
            for prov in self.provinces:
                d = dt.date(year, 9, rng.randint(1, 20))
                law = rng.choice(LAWS)
                p_plan = self.add_doc(prov["ub"], year, _iso(d), f"nhiệm vụ năm học {year}",
                                      ["Sở Giáo dục và Đào tạo", "UBND các huyện, thành phố"],
                                      [(law, "based_on", "preamble", "full")] +
                                      [(law, "mentions", "body", "full")] * 3, [])
                for dist in prov["districts"]:
                    dd = d + dt.timedelta(days=rng.randint(3, 30))
                    annual[(dist["name"], year)] = self.add_doc(
                        dist["ub"], year, _iso(dd), f"nhiệm vụ năm học {year}",
                        ["UBND các xã, thị trấn", "Các trường học"],
                        self.cites_for(p_plan, [], []), [])
                    if self.n_docs - start >= n:
                        return
        districts = [(prov, dist) for prov in self.provinces for dist in prov["districts"]]
        while self.n_docs - start < n:
            prov, dist = rng.choice(districts)
            year = rng.choice(YEARS)
            parent = annual.get((dist["name"], year))
            if parent is None:
                continue
            com = rng.choice(dist["communes"])
            d = dt.date.fromisoformat(parent.date) + dt.timedelta(days=rng.randint(3, 200))
            doc = self.add_doc(com, d.year, _iso(d), f"kế hoạch chuyên đề năm học {year}",
                               ["Các trường học trên địa bàn", "Lưu: VT"],
                               self.cites_for(parent, [], []), [])
            self.sample.setdefault("leaf", f"synthetic/{doc.id:07d}.txt")


def generate(db_path, documents: int = 1_000_000, *, mentions: float = 10.0, seed: int = 1,
             central: int | None = None, progress=None) -> dict:
    """Build the synthetic database at `db_path` (replaced if it exists). Returns sizes,
    timings and sample references for the benchmark."""
    say = progress or (lambda m: None)
    db_path = Path(db_path)
    for suffix in ("", "-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    t0 = time.perf_counter()
    conn = sqlite3.connect(str(db_path))
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-1000000")
    db = sqlite_utils.Database(conn)
    store.ensure_schema(db)
    saved = [(name, sql) for name, sql in conn.execute(
        "select name, sql from sqlite_master where type = 'index' and sql is not null and "
        "tbl_name in ('documents', 'citations', 'relations')")]
    for name, _ in saved:
        conn.execute(f"drop index [{name}]")
    gen = Generator(conn, documents, mentions, seed)
    scale = documents / 1_000_000
    gen.geography(districts_per_province=max(2, round(11 * min(1.0, scale * 10))),
                  communes_per_district=max(2, round(15 * min(1.0, scale * 10))))
    n_central = central or max(6, min(60, round(60 * scale ** 0.5)))
    conn.execute("BEGIN")
    centrals = gen.central(n_central)
    per_campaign = 63 * 2.5 + gen.n_districts * 2
    budget = 0.7 * documents - gen.n_docs
    campaigns = [c for c in centrals if c.key != "29-NQ/TW"]
    while campaigns and len(campaigns) * per_campaign > budget:
        campaigns.pop()
    share = 0.0
    if campaigns:
        share = max(0.0, min(1.0, (budget - len(campaigns) * per_campaign)
                             / (len(campaigns) * gen.n_communes)))
    say(f"{len(gen.provinces)} provinces, {gen.n_districts} districts, {gen.n_communes} "
        f"communes; {len(centrals)} central documents, {len(campaigns)} campaigns, "
        f"commune share {share:.2f}")
    for i, c in enumerate(campaigns):
        gen.campaign(c, share)
        if i % 5 == 0:
            say(f"campaign {i + 1}/{len(campaigns)}: {gen.n_docs} documents, "
                f"{gen.n_cits} mentions")
    gen.routine(max(0, documents - gen.n_docs))
    gen.flush(force=True)
    conn.execute("COMMIT")
    t_rows = time.perf_counter() - t0
    say(f"rows written in {t_rows:.0f} s; indexing")
    conn.execute("BEGIN")
    for _, sql in saved:
        conn.execute(sql)
    conn.execute("COMMIT")
    t_index = time.perf_counter() - t0 - t_rows
    say(f"base indexes in {t_index:.0f} s; building the graph")
    t1 = time.perf_counter()
    built = graph.rebuild(db, progress=say)
    t_graph = time.perf_counter() - t1
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()
    sample = dict(gen.sample)
    sample["central"] = "91-KL/TW"
    return {"documents": gen.n_docs, "mentions": gen.n_cits, "relations": gen.n_rels,
            "nodes": built["nodes"], "edges": built["edges"], "rows_s": round(t_rows, 1),
            "index_s": round(t_index, 1), "graph_s": round(t_graph, 1),
            "total_s": round(time.perf_counter() - t0, 1),
            "size_mb": round(db_path.stat().st_size / 1e6), "sample": sample}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", default="/tmp/directives-synthetic.db")
    p.add_argument("--documents", type=int, default=1_000_000)
    p.add_argument("--quick", action="store_true", help="100k documents")
    p.add_argument("--mentions", type=float, default=10.0, help="mean mentions per document")
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)
    if Path(args.db).resolve().is_relative_to(Path(__file__).resolve().parent.parent):
        p.error("put the database outside the repository (e.g. under /tmp)")
    n = 100_000 if args.quick else args.documents
    info = generate(args.db, n, mentions=args.mentions, seed=args.seed,
                    progress=lambda m: print(f"[{time.strftime('%H:%M:%S')}] {m}",
                                             file=sys.stderr, flush=True))
    print(json.dumps(info, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
