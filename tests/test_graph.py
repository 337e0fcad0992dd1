"""Citation graph: identity matching, order-independent maintenance, lineage queries, export.

Most tests save hand-built DocumentRecords whose values are taken from the corpus (004 implements
224-KH/ThU and is based on 740/KH-BCSD, which lead to 91-KL/TW and 29-NQ/TW). Tests marked
`corpus` ingest the real corpus/ through the whole pipeline.
"""
from __future__ import annotations

import importlib.util
import itertools
import json
import random
import sys
from pathlib import Path

import networkx as nx
import pytest

from pipeline import graph, storage as store
from pipeline.storage.schema import GRAPH_TABLES
from pipeline.cli import main as cli_main
from pipeline.model import Citation, DocumentRecord, Header, Relation, Text

ROOT = Path(__file__).resolve().parent.parent


# --------------------------------------------------------------------------- builders

def _type_of(key: str) -> str:
    if "-" in key.split("/")[0]:
        return key.split("-", 1)[1].split("/")[0]
    sym = key.split("/")[-1]
    return sym.split("-")[0]


def cit(key, relation="mentions", *, date=None, issuer=None, term=None, position="body",
        section=None, year=None):
    number = key.split("/")[0].split("-")[0]
    return Citation(key=key, type=_type_of(key), number=number,
                    year=year or (int(date[:4]) if date else None),
                    symbol=key.split("/", 1)[1] if "/" in key else None, date=date,
                    issuer=issuer, relation=relation, text=f"số {key}", start=0, end=0,
                    section=section, position=position, term=term)


def record(path, header: Header, citations=(), relations=()) -> DocumentRecord:
    cits = []
    for i, c in enumerate(citations):  # offsets in reading order, as the extractor gives them
        c.start, c.end = 100 * i, 100 * i + len(c.text)
        cits.append(c)
    return DocumentRecord(text=Text(text=header.title or "", lines=[], path=path, format="text"),
                          header=header, sections=[], citations=cits,
                          relations=[Relation(*r) for r in relations])


KL91 = dict(date="2024-08-12", issuer="Bộ Chính trị")
NQ29 = dict(date="2013-11-04", issuer="Ban Chấp hành Trung ương Đảng", term="XI")
KH224 = dict(date="2024-11-27", issuer="Thành ủy Lai Châu")
KH740 = dict(date="2024-12-31", issuer="Ban Cán sự đảng Ủy ban nhân dân tỉnh Lai Châu")
KH294 = dict(date="2024-10-30", issuer="Ban Thường vụ Tỉnh ủy Lai Châu")


def corpus_like() -> dict[str, DocumentRecord]:
    """The five corpus documents as the extractor describes them (drafts: no own number)."""
    return {
        "corpus/000.txt": record("corpus/000.txt", Header(
            type="KH", year=2024, symbol="KH-UBND", issuer="Ủy ban nhân dân thành phố Lai Châu",
            date_text="ngày tháng 9 năm 2024",
            title="Triển khai nhiệm vụ, giải pháp trọng tâm năm học 2024 - 2025",
            recipients=["Sở GD&ĐT tỉnh", "TT: Thành ủy, HĐND, UBND thành phố",
                        "UBND các xã, phường", "Lưu: VT"]), [
            cit("3707/KH-UBND", "implements", date="2024-09-17",
                issuer="Ủy ban nhân dân tỉnh Lai Châu", position="preamble"),
            cit("91-KL/TW", "implements", position="preamble", **KL91),
            cit("29-NQ/TW", position="preamble", **NQ29),
            cit("09/2024/TT-BGDĐT", section="III.1"),
            cit("91-KL/TW", section="III.1", **KL91),
        ], [("91-KL/TW", "implements", "29-NQ/TW")]),
        "corpus/001.txt": record("corpus/001.txt", Header(
            type="CT", issuer="Chủ tịch Ủy ban nhân dân thành phố Lào Cai",
            title="Về thực hiện nhiệm vụ trọng tâm năm học 2024-2025"), [
            cit("03-ĐA/TU", date="2020-10-28", issuer="Thành ủy Lào Cai", position="preamble"),
            cit("91-KL/TW", section="I.1", **KL91),
            cit("29-NQ/TW", section="I.1", date="2013-11-04",
                issuer="Ban Chấp hành Trung ương Đảng"),
        ]),
        "corpus/002.txt": record("corpus/002.txt", Header(
            type="KH", year=2022, symbol="KH-UBND", issuer="Ủy ban nhân dân huyện Mường Tè",
            date_text="ngày tháng 9 năm 2022",
            title="Thực hiện Chỉ thị số 11/CT-UBND ngày 26/8/2022 của UBND tỉnh Lai Châu"), [
            cit("11/CT-UBND", "implements", date="2022-08-26",
                issuer="Ủy ban nhân dân tỉnh Lai Châu", position="title"),
            cit("1068/QĐ-UBND", "based_on", date="2022-08-15",
                issuer="Ủy ban nhân dân tỉnh Lai Châu", position="preamble"),
            cit("11/CT-UBND", "based_on", date="2022-08-26",
                issuer="Ủy ban nhân dân tỉnh Lai Châu", position="preamble"),
        ]),
        "corpus/003.txt": record("corpus/003.txt", Header(
            type="KH", issuer="Ban Thường vụ Huyện ủy Tam Đường",
            title="thực hiện Kết luận số 91-KL/TW, ngày 12/8/2024 của Bộ Chính trị"), [
            cit("91-KL/TW", "implements", position="title", **KL91),
            cit("29-NQ/TW", position="title", **NQ29),
            cit("294-KH/TU", "implements", position="preamble", **KH294),
            cit("91-KL/TW", position="preamble", **KL91),
            cit("91-KL/TW", section="I.1", **KL91),
        ], [("91-KL/TW", "implements", "29-NQ/TW"), ("294-KH/TU", "implements", "91-KL/TW")]),
        "corpus/004.txt": record("corpus/004.txt", Header(
            type="KH", year=2025, symbol="KH-UBND", issuer="Ủy ban nhân dân thành phố Lai Châu",
            date_text="ngày tháng 01 năm 2025",
            title="Triển khai, thực hiện Kế hoạch số 224-KH/ThU ngày 27/11/2024"), [
            cit("224-KH/ThU", "implements", position="title", **KH224),
            cit("91-KL/TW", position="title", **KL91),
            cit("29-NQ/TW", position="title", **NQ29),
            cit("224-KH/ThU", "based_on", position="preamble", **KH224),
            cit("740/KH-BCSD", "based_on", position="preamble", **KH740),
            cit("294-KH/TU", position="preamble", **KH294),
            cit("91-KL/TW", section="I.1", **KL91),
            cit("224-KH/ThU", section="II.1.1", **KH224),
            cit("740/KH-BCSD", section="II.1.1",
                date="2024-12-31", issuer="Ban cán sự đảng UBND tỉnh Lai Châu"),
        ], [("224-KH/ThU", "implements", "91-KL/TW"), ("91-KL/TW", "implements", "29-NQ/TW"),
            ("740/KH-BCSD", "implements", "294-KH/TU"), ("294-KH/TU", "implements", "91-KL/TW")]),
    }


def save(db, rec: DocumentRecord) -> int:
    """Store a document and keep the graph in step, as the ingest writer does."""
    with store.write_transaction(db):
        doc_id = store.save_document(db, rec.text.path, "sha-" + rec.text.path, 1, rec)
        graph.sync_document(db, doc_id)
    return doc_id


def remove(db, paths) -> None:
    """Remove stored files and keep the graph in step, as ingest --prune does."""
    with store.write_transaction(db):
        store.remove_documents(db, paths)
        graph.sync(db)


def build(tmp_path, records, name="g.db"):
    db = store.open_db(tmp_path / name)
    for rec in records:
        save(db, rec)
    return db


def labels(rows):
    return {r["label"] for r in rows}


@pytest.fixture
def corpus_db(tmp_path):
    return build(tmp_path, corpus_like().values())


# --------------------------------------------------------------------------- identity rules

def test_party_terms_follow_congress_years():
    assert graph.party_terms(2024, central=True) == (13, 13)
    assert graph.party_terms(2013, central=True) == (11, 11)
    assert graph.party_terms(2021, central=True) == (12, 13)   # the congress sat in January
    assert graph.party_terms(2020, central=False) == (12, 13)  # provincial congresses in 2020
    assert graph.party_terms(2022, central=False) == (13, 13)


def test_issuer_normalisation_keeps_one_series_per_body():
    n = graph.norm_issuer
    assert n("Ban Thường vụ Tỉnh ủy Lai Châu") == n("Tỉnh ủy Lai Châu") == "tỉnh ủy lai châu"
    assert n("Ban cán sự đảng UBND tỉnh Lai Châu") == n(
        "Ban Cán sự đảng Ủy ban nhân dân tỉnh Lai Châu")
    assert n("Chủ tịch UBND thành phố Lào Cai") == "ủy ban nhân dân thành phố lào cai"
    assert n("Ban Chấp hành Đảng bộ tỉnh Lai Châu") == "tỉnh ủy lai châu"
    assert n("Uỷ ban nhân dân huyện Mường Tè") == "ủy ban nhân dân huyện mường tè"
    assert graph.is_bare(n("Ban Thường vụ Tỉnh ủy")) and not graph.is_bare(n("Tỉnh ủy Lai Châu"))


def test_which_numbers_need_the_issuer():
    assert graph.issuer_needed("121/KH-UBND")
    assert graph.issuer_needed("294-KH/TU")
    assert graph.issuer_needed("3129/UBND-VP")
    assert not graph.issuer_needed("91-KL/TW")
    assert not graph.issuer_needed("32/NQ-CP")
    assert not graph.issuer_needed("686/NQ-UBTVQH15")
    assert not graph.issuer_needed("88/2014/QH13")
    assert not graph.issuer_needed("09/2024/TT-BGDĐT")
    assert graph.issuer_needed("07/2024/NQ-HĐND")
    # the graph folds symbols as the citation grammar does (domain.fold): the look-alike Ð
    # (U+00D0) and an unconverted TƯ name the same bodies as Đ and TW
    assert not graph.issuer_needed("13/2023/NÐ-CP")
    assert not graph.issuer_needed("05-NQ/TƯ")


def test_resolve_group_is_a_function_of_the_set():
    t = graph.numbered_tuple
    tuples = [t("121/KH-UBND", date="2024-05-10", issuer="UBND huyện Mường Tè"),
              t("121/KH-UBND", date="2023-03-01", issuer="UBND thành phố Lai Châu"),
              t("121/KH-UBND"),
              t("121/KH-UBND", issuer="Ủy ban nhân dân huyện Mường Tè")]
    results = {json.dumps(graph.resolve_group(p)[0], sort_keys=True)
               for p in itertools.permutations(tuples)}
    assert len(results) == 1
    assign, nodes = graph.resolve_group(tuples)
    assert nodes[tuples[2].ident]["ambiguous"]
    assert len(nodes[tuples[2].ident]["candidates"]) == 2
    assert assign[tuples[3].ident] == tuples[0].ident  # issuer known, year not: one candidate


def test_compatible_partials_merge_when_nothing_refines_them():
    t = graph.numbered_tuple
    a = t("15/KH-UBND", year=2024)
    b = t("15/KH-UBND", issuer="UBND tỉnh Lai Châu")
    assign, nodes = graph.resolve_group([a, b])
    assert assign[a.ident] == assign[b.ident]
    joined = nodes[assign[a.ident]]["tup"]
    assert (joined.lo, joined.issuer) == (2024, "ủy ban nhân dân tỉnh lai châu")


# --------------------------------------------------------------------------- queries

def test_cited_by_lists_citers_with_relation_count_where_and_since(corpus_db):
    r = graph.cited_by(corpus_db, "91-KL/TW")
    assert labels(r["citing"]) == {"000", "001", "003", "004"}
    by = {c["label"]: c for c in r["citing"]}
    assert by["003"]["relation"] == "implements"
    assert by["003"]["mentions"] == 3
    assert by["003"]["positions"] == ["title", "preamble", "body"]
    assert by["003"]["sections"] == ["I.1"]
    assert by["004"]["relation"] == "mentions"
    assert r["since"] == "2024-09"  # 000, dated September 2024 (day left blank)
    # the variant written with swapped separators names the same node
    assert labels(graph.cited_by(corpus_db, "91/KL-TW")["citing"]) == labels(r["citing"])


def test_cites_lists_targets_and_stated_chains(corpus_db):
    r = graph.cites(corpus_db, "004")
    rel = {c["label"]: c["relation"] for c in r["cites"]}
    assert rel["224-KH/ThU"] == "implements"   # strongest of implements, based_on, mentions
    assert rel["740/KH-BCSD"] == "based_on"
    assert rel["91-KL/TW"] == "mentions"
    mentions = {c["label"]: c["mentions"] for c in r["cites"]}
    assert mentions["224-KH/ThU"] == 3 and mentions["740/KH-BCSD"] == 2
    assert {(s["source"], s["target"]) for s in r["stated"]} == {
        ("224-KH/ThU", "91-KL/TW"), ("91-KL/TW", "29-NQ/TW"), ("740/KH-BCSD", "294-KH/TU"),
        ("294-KH/TU", "91-KL/TW")}


def test_implementers_direct_and_transitive_with_paths(corpus_db):
    direct = graph.implementers(corpus_db, "91-KL/TW")
    assert labels(direct["implementers"]) == {"000", "003", "224-KH/ThU", "294-KH/TU"}
    r = graph.implementers(corpus_db, "91-KL/TW", transitive=True)
    paths = {i["label"]: i["path"] for i in r["implementers"]}
    assert paths["004"] == ["004", "224-KH/ThU", "91-KL/TW"]
    assert paths["003"] == ["003", "91-KL/TW"]
    assert paths["740/KH-BCSD"] == ["740/KH-BCSD", "294-KH/TU", "91-KL/TW"]
    hops = next(i["hops"] for i in r["implementers"] if i["label"] == "004")
    assert [(h["relation"], h["origin"]) for h in hops] == [("implements", "cited"),
                                                           ("implements", "stated")]
    assert "91-KL/TW" not in paths


def test_trace_is_a_tree_up_to_29_nq(corpus_db):
    r = graph.trace(corpus_db, "004")
    tree = r["trees"][0]
    assert tree["label"] == "004"
    assert [(c["relation"], c["label"]) for c in tree["children"]] == [
        ("implements", "224-KH/ThU"), ("based_on", "740/KH-BCSD")]
    assert {"224-KH/ThU", "740/KH-BCSD", "294-KH/TU", "91-KL/TW", "29-NQ/TW"} <= \
        graph.tree_labels(tree)
    kl = tree["children"][0]["children"][0]
    assert kl["label"] == "91-KL/TW" and kl["children"][0]["label"] == "29-NQ/TW"
    repeat = tree["children"][1]["children"][0]["children"][0]
    assert repeat["label"] == "91-KL/TW" and repeat.get("repeat") and not repeat["children"]


def test_trace_of_a_key_that_is_only_cited(corpus_db):
    tree = graph.trace(corpus_db, "740/KH-BCSD")["trees"][0]
    assert graph.tree_labels(tree) == {"740/KH-BCSD", "294-KH/TU", "91-KL/TW", "29-NQ/TW"}


# --------------------------------------------------------------------------- maintenance

def test_any_ingest_order_gives_the_same_graph(tmp_path):
    recs = list(corpus_like().values())
    reference = graph.snapshot(build(tmp_path, recs, "ref.db"))
    orders = list(itertools.permutations(range(len(recs))))
    random.Random(7).shuffle(orders)
    for n, order in enumerate(orders[:12]):
        db = build(tmp_path, [recs[i] for i in order], f"p{n}.db")
        assert graph.snapshot(db) == reference, order
    rebuilt = store.open_db(tmp_path / "ref.db")
    graph.rebuild(rebuilt)
    assert graph.snapshot(rebuilt) == reference


def test_resaving_and_removing_keeps_the_graph_equal_to_a_rebuild(tmp_path):
    recs = corpus_like()
    db = build(tmp_path, recs.values())
    save(db, recs["corpus/004.txt"])            # same file again: replaced, not doubled
    remove(db, ["corpus/003.txt"])
    after = graph.snapshot(db)
    fresh = build(tmp_path, [r for p, r in recs.items() if p != "corpus/003.txt"], "fresh.db")
    assert after == graph.snapshot(fresh)
    assert "003" not in labels(graph.cited_by(db, "91-KL/TW")["citing"])


def test_placeholder_becomes_the_document_and_back(tmp_path):
    recs = corpus_like()
    db = build(tmp_path, [recs["corpus/004.txt"]])
    [node] = graph.resolve_ref(db, "224-KH/ThU")
    assert graph.nodes_by_id(db, [node])[node]["status"] == "cited"
    plan224 = record("thanhuy/224.txt", Header(
        key="224-KH/ThU", type="KH", number="224", year=2024, symbol="KH/ThU",
        issuer="Thành ủy Lai Châu", date="2024-11-27",
        title="thực hiện Kết luận số 91-KL/TW"), [
        cit("91-KL/TW", "implements", position="title", **KL91),
        cit("294-KH/TU", "based_on", position="preamble", **KH294)])
    save(db, plan224)
    assert graph.resolve_ref(db, "224-KH/ThU") == [node]     # same node, now the document
    n = graph.nodes_by_id(db, [node])[node]
    assert n["status"] == "document" and n["path"] == "thanhuy/224.txt"
    assert labels(graph.cited_by(db, "224-KH/ThU")["citing"]) == {"004"}
    edges = {(e["source"], e["target"], e["origin"]) for e in graph.trace(db, "004")["edges"]}
    assert ("224-KH/ThU", "91-KL/TW", "cited") in edges
    assert ("224-KH/ThU", "91-KL/TW", "stated") in edges
    # the reverse order gives the same graph
    other = build(tmp_path, [plan224, recs["corpus/004.txt"]], "rev.db")
    assert graph.snapshot(other) == graph.snapshot(db)
    remove(db, ["thanhuy/224.txt"])
    assert graph.resolve_ref(db, "224-KH/ThU") == [node]
    assert graph.nodes_by_id(db, [node])[node]["status"] == "cited"
    assert graph.snapshot(db) == graph.snapshot(build(tmp_path, [recs["corpus/004.txt"]], "o.db"))


def test_same_number_of_different_issuers_and_years_stays_apart(tmp_path):
    def doc(path, c):
        return record(path, Header(type="KH", issuer="Ủy ban nhân dân xã Bản Giang",
                                   title=f"Kế hoạch {path}", year=2024), [c])
    x = doc("x.txt", cit("121/KH-UBND", "implements", date="2024-05-10",
                         issuer="UBND huyện Mường Tè", position="preamble"))
    y = doc("y.txt", cit("121/KH-UBND", "implements", date="2023-03-01",
                         issuer="Ủy ban nhân dân thành phố Lai Châu", position="preamble"))
    z = doc("z.txt", cit("121/KH-UBND", "implements", position="preamble"))
    w = doc("w.txt", cit("121/KH-UBND", issuer="Ủy ban nhân dân huyện Mường Tè"))
    snaps = set()
    for order in ([x, z, y, w], [z, w, y, x], [y, x, w, z]):
        db = build(tmp_path, order, f"{order[0].text.path}.db")
        snaps.add(json.dumps(sorted(map(repr, graph.snapshot(db)["edges"].items()))))
    assert len(snaps) == 1
    r = graph.cited_by(db, "121/KH-UBND")
    targets = {(t["year"], t["status"]) for t in r["targets"]}
    assert targets == {(2023, "cited"), (2024, "cited"), (None, "ambiguous")}
    per_target = {}
    for t in r["targets"]:
        per_target[(t["year"], t["status"])] = labels(
            graph.cited_by(db, f"node:{t['id']}")["citing"])
    assert per_target[(2024, "cited")] == {"x", "w"}   # w names the issuer: one candidate
    assert per_target[(2023, "cited")] == {"y"}
    assert per_target[(None, "ambiguous")] == {"z"}    # z could be either: kept apart
    [amb] = graph.ambiguities(db)
    assert {c["year"] for c in amb["candidates"]} == {2023, 2024}
    assert labels(graph.cited_by(db, "121/KH-UBND", year=2023)["citing"]) == {"y"}


def test_partial_mention_is_ambiguous_only_once_a_second_candidate_exists(tmp_path):
    def doc(path, c):
        return record(path, Header(type="KH", issuer="Ủy ban nhân dân xã Bản Giang",
                                   title=f"Kế hoạch {path}", year=2024), [c])
    full = doc("a.txt", cit("15/KH-UBND", date="2024-01-02", issuer="UBND tỉnh Lai Châu"))
    bare = doc("b.txt", cit("15/KH-UBND"))
    db = build(tmp_path, [full, bare])
    assert [t["status"] for t in graph.cited_by(db, "15/KH-UBND")["targets"]] == ["cited"]
    save(db, doc("c.txt", cit("15/KH-UBND", date="2023-01-02", issuer="UBND tỉnh Lai Châu")))
    statuses = sorted(t["status"] for t in graph.cited_by(db, "15/KH-UBND")["targets"])
    assert statuses == ["ambiguous", "cited", "cited"]
    remove(db, ["c.txt"])
    assert [t["status"] for t in graph.cited_by(db, "15/KH-UBND")["targets"]] == ["cited"]
    assert graph.snapshot(db) == graph.snapshot(build(tmp_path, [bare, full], "o.db"))


def test_state_numbers_restart_each_year_party_numbers_each_term(tmp_path):
    d = record("d.txt", Header(type="KH", issuer="Ủy ban nhân dân tỉnh Lai Châu", title="t",
                               year=2024), [
        cit("32/NQ-CP", date="2024-03-20", issuer="Chính phủ"),
        cit("32/NQ-CP", date="2023-03-02", issuer="Chính phủ"),
        cit("91-KL/TW", **KL91),
        cit("91-KL/TW"),                                   # short form: central, one term known
        cit("294-KH/TU", **KH294),
        cit("294-KH/TU", date="2024-10-30", issuer="Tỉnh ủy Lào Cai"),
    ])
    db = build(tmp_path, [d])
    assert len(graph.resolve_ref(db, "32/NQ-CP")) == 2
    assert len(graph.resolve_ref(db, "91-KL/TW")) == 1
    assert len(graph.resolve_ref(db, "294-KH/TU")) == 2
    assert len(graph.resolve_ref(db, "294-KH/TU", issuer="Lào Cai")) == 1


def test_drafts_are_nodes_identified_by_issuer_type_date_title(tmp_path):
    a = record("a.txt", Header(type="KH", issuer="Ủy ban nhân dân thành phố Lai Châu",
                               date_text="ngày tháng 9 năm 2024", title="Kế hoạch A"),
               [cit("91-KL/TW", "implements", position="title", **KL91)])
    b = record("b.txt", Header(type="KH", issuer="Ủy ban nhân dân thành phố Lai Châu",
                               date_text="ngày tháng 9 năm 2024", title="Kế hoạch B"),
               [cit("91-KL/TW", "implements", position="title", **KL91)])
    db = build(tmp_path, [a, b, a])
    drafts = [n for n in graph.snapshot(db)["nodes"] if n.startswith("draft|")]
    assert len(drafts) == 2 and all("|2024-09|" in n for n in drafts)
    assert labels(graph.implementers(db, "91-KL/TW")["implementers"]) == {"a", "b"}


def test_cycles_and_self_citations_terminate(tmp_path):
    lc = "Ủy ban nhân dân tỉnh Lai Châu"

    def plan(n, cites):
        return record(f"{n}.txt", Header(key=f"{n}/KH-UBND", type="KH", number=str(n),
                                         year=2024, issuer=lc, date="2024-02-01",
                                         title=f"Kế hoạch {n}"),
                      [cit(f"{m}/KH-UBND", rel, date="2024-02-01", issuer=lc, position="title")
                       for m, rel in cites])
    a = plan(10, [(20, "implements"), (10, "implements")])   # cites itself too
    b = plan(20, [(30, "based_on")])
    c = plan(30, [(10, "implements")])                       # 10 → 20 → 30 → 10
    db = build(tmp_path, [a, b, c])
    imp = graph.implementers(db, "10/KH-UBND", transitive=True)
    assert {i["label"]: i["depth"] for i in imp["implementers"]} == {
        "30/KH-UBND": 1, "20/KH-UBND": 2}
    tree = graph.trace(db, "10/KH-UBND")["trees"][0]
    assert graph.tree_labels(tree) == {"10/KH-UBND", "20/KH-UBND", "30/KH-UBND"}
    last = tree["children"][0]["children"][0]["children"][0]
    assert last["label"] == "10/KH-UBND" and last["repeat"]
    assert "10/KH-UBND" not in labels(graph.cited_by(db, "10/KH-UBND")["citing"])
    # the self-citation is a linked mention, but not an edge
    assert graph.snapshot(db)["mentions"][("10.txt", 100, "10/KH-UBND")] == "10/KH-UBND|2024|" \
        "ủy ban nhân dân tỉnh lai châu"


def test_coverage_of_a_directive_by_its_recipients(tmp_path):
    lc = "Ủy ban nhân dân tỉnh Lai Châu"
    directive = record("ct11.txt", Header(
        key="11/CT-UBND", type="CT", number="11", year=2022, issuer=lc, date="2022-08-26",
        title="về thực hiện nhiệm vụ trọng tâm năm học 2022 - 2023",
        recipients=["Sở Giáo dục và Đào tạo", "UBND các huyện, thành phố",
                    "Thường trực Tỉnh ủy (b/c)", "Lưu: VT, VX"]), [])
    muong_te = corpus_like()["corpus/002.txt"]
    school = record("school.txt", Header(type="KH", issuer="Trường THCS Mường Tè",
                                         title="Kế hoạch năm học", year=2022), [
        cit("2057/KH-UBND", "implements", date="2022-09-20",
            issuer="Ủy ban nhân dân huyện Mường Tè", position="title")],
        [("2057/KH-UBND", "implements", "11/CT-UBND")])
    db = build(tmp_path, [directive, muong_te, school])
    r = graph.coverage(db, "11/CT-UBND")
    covered = {c["body"]: c["implemented_by"] for c in r["covered"]}
    assert covered == {"ủy ban nhân dân huyện": ["002"]}
    assert {m["body"] for m in r["missing"]} == {"sở giáo dục và đào tạo",
                                                 "ủy ban nhân dân thành phố"}
    assert [x["for_report"] for x in r["recipients"]] == [False, False, True]
    [hit] = r["recipients"][1]["bodies"][0]["implemented_by"]
    assert (hit["path"], hit["chain"]) == ("corpus/002.txt", ["002", "11/CT-UBND"])
    assert {i["label"]: i["recipient"] for i in r["implementers"]} == {"002": True,
                                                                       "school": False}


def test_recipient_lines_name_bodies():
    places = {"thành phố": "lai châu"}
    assert graph.recipient_bodies("TT: Thành ủy, HĐND, UBND thành phố", places) == [
        "thành ủy lai châu", "hội đồng nhân dân thành phố lai châu",
        "ủy ban nhân dân thành phố lai châu"]
    assert graph.recipient_bodies("UBND các xã, phường", places) == [
        "ủy ban nhân dân xã", "ủy ban nhân dân phường"]
    # an office followed by its divisions' or officers' initials is the office alone
    assert graph.recipient_bodies("VP UBND tỉnh: V, C, CB", {"tỉnh": "lai châu"}) == [
        "văn phòng ủy ban nhân dân tỉnh lai châu"]
    assert graph.recipient_bodies("Sở Tài chính (để biết)", places) == ["sở tài chính"]
    # after a colon, abbreviations of bodies are bodies, not an office's staff
    assert graph.recipient_bodies("Thường trực: HĐND, UBND", {}) == [
        "hội đồng nhân dân", "ủy ban nhân dân"]
    assert graph.recipient_bodies("Sở GD&ĐT tỉnh Lào Cai", places) == [
        "sở giáo dục và đào tạo tỉnh lào cai"]


@pytest.mark.parametrize("article, bodies", [
    ("Điều 3. Chánh Văn phòng UBND tỉnh, Giám đốc Sở Giáo dục và Đào tạo, Thủ trưởng các sở, "
     "ngành, Chủ tịch UBND các huyện, thành phố chịu trách nhiệm thi hành Quyết định này./.",
     ["Văn phòng UBND tỉnh", "Sở Giáo dục và Đào tạo", "các sở, ngành",
      "UBND các huyện, thành phố"]),
    ("Điều 5. Quyết định có hiệu lực kể từ ngày ký.", []),
    ("Điều 4. Chánh Văn phòng Ủy ban nhân dân huyện và Trưởng phòng Nội vụ căn cứ quyết định "
     "thi hành.", ["Văn phòng Ủy ban nhân dân huyện", "phòng Nội vụ"]),
])
def test_the_bodies_an_article_charges_with_carrying_out_the_decision(article, bodies):
    """'Nơi nhận: Như Điều 3' stands for these bodies (coverage expands it from the text)."""
    from pipeline.graph.coverage import article_bodies

    assert article_bodies(article) == bodies


def test_for_information_recipients_are_not_expected_to_implement():
    from pipeline.graph.coverage import _FOR_REPORT

    for rec in ("Sở Tài chính (để biết)", "Thường trực Tỉnh ủy (b/c)", "HĐND tỉnh (để b/c)"):
        assert _FOR_REPORT.search(rec), rec
    assert not _FOR_REPORT.search("UBND các huyện, thành phố")


def test_documents_saved_without_the_graph_upkeep_wait_for_sync_and_queries_never_write(tmp_path):
    recs = list(corpus_like().values())
    db = store.open_db(tmp_path / "late.db")
    save(db, recs[0])
    for rec in recs[1:]:  # written as another tool would: rows only, no graph upkeep
        store.save_document(db, rec.text.path, "sha-" + rec.text.path, 1, rec)
    dirty = lambda: db.execute("select count(*) from graph_dirty").fetchone()[0]  # noqa: E731
    assert dirty() == 4
    with pytest.raises(graph.GraphOutOfDate, match="4 stored document"):
        graph.cited_by(db, "91-KL/TW")
    assert dirty() == 4 and not db.conn.in_transaction  # the query wrote nothing
    assert graph.sync(db) == 4
    assert dirty() == 0
    assert labels(graph.cited_by(db, "91-KL/TW")["citing"]) == {"000", "001", "003", "004"}
    assert graph.snapshot(db) == graph.snapshot(build(tmp_path, recs, "hooked.db"))


def test_only_updates_the_graph_reads_mark_a_document_dirty(corpus_db):
    dirty = lambda: corpus_db.execute("select count(*) from graph_dirty").fetchone()[0]  # noqa
    corpus_db.execute("update documents set size = size + 1, ingested_at = 'now'")
    assert dirty() == 0
    corpus_db.execute("update documents set title = 'Kế hoạch mới' where path = 'corpus/000.txt'")
    assert dirty() == 1
    graph.sync(corpus_db)
    assert dirty() == 0


# --------------------------------------------------------------------------- export, stats, CLI

def test_export_formats_open_in_their_tools(corpus_db, tmp_path):
    g = graph.to_networkx(corpus_db)
    for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        path = tmp_path / f"g.{fmt}"
        graph.export(corpus_db, fmt, str(path))
        back = reader(path)
        assert back.number_of_nodes() == g.number_of_nodes()
        assert back.number_of_edges() == g.number_of_edges()
    data = json.loads(graph.export(corpus_db, "json"))
    assert {n["label"] for n in data["nodes"]} >= {"004", "91-KL/TW", "29-NQ/TW"}
    assert len(data["links"]) == g.number_of_edges()
    dot = graph.export(corpus_db, "dot")
    assert dot.startswith("digraph directives {") and '-> "29-NQ/TW|t11|"' in dot
    lineage = graph.to_networkx(corpus_db, relations=graph.LINEAGE)
    assert nx.has_path(lineage, next(n for n, a in lineage.nodes(data=True)
                                     if a["label"] == "004"), "29-NQ/TW|t11|")


def test_stats_rank_the_central_documents(corpus_db):
    s = graph.stats(corpus_db, top=3)
    assert s["most_cited"][0]["label"] == "91-KL/TW" and s["most_cited"][0]["citing"] == 4
    assert s["most_implemented"][0]["label"] == "91-KL/TW"
    assert s["pagerank"][0]["label"] in {"91-KL/TW", "29-NQ/TW"}
    assert s["documents"] == 5 and s["ambiguous"] == 0


def test_cli_commands_print_text_and_json(tmp_path, capsys):
    db_path = tmp_path / "cli.db"
    build(tmp_path, corpus_like().values(), "cli.db")
    assert cli_main(["cited-by", "91-KL/TW", "--db", str(db_path), "--format", "json"]) == 0
    assert labels(json.loads(capsys.readouterr().out)["citing"]) == {"000", "001", "003", "004"}
    assert cli_main(["implementers", "91-KL/TW", "--transitive", "--db", str(db_path)]) == 0
    assert "004 ─implements→ 224-KH/ThU ─implements→ 91-KL/TW" in capsys.readouterr().out
    assert cli_main(["trace", "004", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "└─ implements (stated) 29-NQ/TW" in out and "see above" in out
    assert cli_main(["cites", "004", "--db", str(db_path)]) == 0
    assert "224-KH/ThU implements 91-KL/TW" in capsys.readouterr().out
    assert cli_main(["stats", "--db", str(db_path), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["nodes"] > 5
    assert cli_main(["export", "--format", "dot", "--db", str(db_path)]) == 0
    assert capsys.readouterr().out.startswith("digraph")
    assert cli_main(["coverage", "91-KL/TW", "--db", str(db_path)]) == 0
    assert "not ingested" in capsys.readouterr().out
    assert cli_main(["cited-by", "999-XX/TW", "--db", str(db_path)]) == 2


# --------------------------------------------------------------------------- synthetic graph

def _generator():
    spec = importlib.util.spec_from_file_location(
        "make_synthetic_graph", ROOT / "scripts" / "make_synthetic_graph.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def test_synthetic_generator_matches_document_by_document_maintenance(tmp_path):
    gen = _generator()
    path = tmp_path / "syn.db"
    info = gen.generate(path, documents=1500, seed=3)
    assert info["documents"] == 1500 and info["mentions"] > 8 * 1500
    db = store.open_db(path)
    bulk = graph.snapshot(db)
    assert any(v[2] for v in bulk["nodes"].values())   # some mentions are ambiguous
    ids = [r[0] for r in db.execute("select id from documents")]
    random.Random(1).shuffle(ids)
    with store.write_transaction(db):
        for t in GRAPH_TABLES:
            db.execute(f"delete from {t}")
        for doc_id in ids:
            graph.sync_document(db, doc_id)
    assert graph.snapshot(db) == bulk
    central = info["sample"]["central"]
    r = graph.implementers(db, central, transitive=True, limit=50)
    assert r["truncated"] and len(r["implementers"]) == 50
    leaf = info["sample"]["leaf"]
    assert central in graph.tree_labels(graph.trace(db, leaf)["trees"][0])


# --------------------------------------------------------------------------- the real corpus

@pytest.fixture(scope="module")
def ingested(corpus_db_path):
    return store.open_db(corpus_db_path)


def _short(label: str) -> str:
    return label.split("_")[0]


@pytest.mark.corpus
def test_corpus_cited_by_91_kl(ingested):
    r = graph.cited_by(ingested, "91-KL/TW")
    assert {_short(c["label"]) for c in r["citing"]} == {"000", "001", "003", "004"}


@pytest.mark.corpus
def test_corpus_implementers_of_91_kl(ingested):
    r = graph.implementers(ingested, "91-KL/TW", transitive=True)
    paths = {_short(i["label"]): [_short(p) for p in i["path"]] for i in r["implementers"]}
    assert paths["003"][0] == "003" and paths["003"][-1] == "91-KL/TW"
    assert paths["004"] in (["004", "224-KH/ThU", "91-KL/TW"],
                            ["004", "740/KH-BCSD", "294-KH/TU", "91-KL/TW"])


@pytest.mark.corpus
def test_corpus_trace_of_004_reaches_29_nq(ingested):
    tree = graph.trace(ingested, "004")["trees"][0]
    assert {"224-KH/ThU", "740/KH-BCSD", "294-KH/TU", "91-KL/TW", "29-NQ/TW"} <= \
        graph.tree_labels(tree)


@pytest.mark.corpus
def test_corpus_ingest_order_does_not_change_the_graph(ingested, tmp_path):
    from pipeline.extract import extract_file

    files = sorted((ROOT / "corpus").glob("*.txt"))
    recs = {f: extract_file(f) for f in files}
    snaps = []
    for n, order in enumerate([files, files[::-1], files[2:] + files[:2]]):
        db = store.open_db(tmp_path / f"o{n}.db")
        for f in order:
            with store.write_transaction(db):
                doc_id = store.save_document(db, str(f.relative_to(ROOT)), "x", 1, recs[f])
                graph.sync_document(db, doc_id)
        snaps.append(graph.snapshot(db))
    assert snaps[0] == snaps[1] == snaps[2]


@pytest.mark.corpus
def test_corpus_deadlines_set_by_the_plans_implementing_91_kl(ingested, capsys):
    """Staff's question: what deadlines did the plans implementing a directive set, for whom."""
    from pipeline.storage.queries import deadlines

    everything = deadlines(ingested)
    direct = deadlines(ingested, implementing=graph.implementers(ingested, "91-KL/TW"))
    chain = deadlines(ingested, implementing=graph.implementers(ingested, "91-KL/TW",
                                                                transitive=True))
    by_doc = lambda rows: {_short(Path(r["path"]).name) for r in rows}  # noqa: E731
    with_deadlines = by_doc(everything)

    def implementing(transitive):
        r = graph.implementers(ingested, "91-KL/TW", transitive=transitive)
        return {_short(i["label"]) for i in r["implementers"] if i["node"]["document_id"]}

    assert by_doc(direct) == implementing(False) & with_deadlines
    assert by_doc(chain) == implementing(True) & with_deadlines
    assert "004" in by_doc(chain) - by_doc(direct)  # 004 implements it through 224-KH/ThU
    assert "002" not in by_doc(chain)               # 002 has deadlines, but another lineage
    assert len(direct) < len(chain) < len(everything)
    # each row says how its document leads to the directive, and whose task it is
    for r in chain:
        assert [_short(p) for p in r["lineage"]][0] == _short(Path(r["path"]).name)
        assert r["lineage"][-1] == "91-KL/TW"
    assert any(r["agency"] for r in chain)
    # rows are exactly the implementing documents' own deadlines
    own = [r for r in everything if _short(Path(r["path"]).name) in by_doc(chain)]
    assert sorted(r["id"] for r in own) == sorted(r["id"] for r in chain)
    assert deadlines(ingested, implementing=graph.implementers(ingested, "999-KL/TW",
                                                               transitive=True)) == []
    # the CLI shows the chain beside each deadline
    db_path = ingested.conn.execute("pragma database_list").fetchone()[2]
    assert cli_main(["deadlines", "--db", db_path, "--implementing", "91-KL/TW",
                     "--transitive"]) == 0
    out = capsys.readouterr().out
    assert "→ 224-KH/ThU → 91-KL/TW]" in out and f"{len(chain)} deadlines" in out


@pytest.mark.corpus
def test_corpus_coverage_of_a_directive_that_is_not_stored(ingested):
    """91-KL/TW is not in the corpus, so its own recipients are unknown: coverage gives the
    bodies its implementing plans send themselves to (not the plans' own issuers, not the
    standing bodies they keep informed)."""
    r = graph.coverage(ingested, "91-KL/TW")
    assert r["note"].startswith("not ingested")
    bodies = {(e["plan"][:3], e["body"]) for e in r["expected"]}
    assert ("000", "ủy ban nhân dân xã") in bodies and ("000", "ủy ban nhân dân phường") in bodies
    assert not any(b == "ủy ban nhân dân thành phố lai châu" for _, b in bodies)  # 000's issuer
    assert not any(b.startswith("thành ủy") for _, b in bodies)                 # "TT: Thành ủy"


def test_a_party_committee_is_not_read_as_a_place():
    from pipeline.graph.coverage import _places

    assert _places("huyện ủy tam đường") == {}
    assert _places("ủy ban nhân dân huyện tam đường") == {"huyện": "tam đường"}


@pytest.mark.parametrize("make", [
    lambda n: "(" * n + "UBND tỉnh",           # unclosed parentheses
    lambda n: "các " * n + "\nx",              # many 'các' before a line break
    lambda n: "VP: " + "A, " * n,               # a long list of codes
])
def test_recipient_reading_stays_linear(make):
    from linearity import assert_linear

    assert_linear(lambda s: graph.recipient_bodies(s, {}), make, 5_000)


def test_a_file_named_by_a_number_is_still_its_own_node(tmp_path):
    """The web pages find a stored document's node by its id, never by reading its file name as
    a citation ('KH 121-KH-UBND.txt' is not document 121/KH-UBND)."""
    from pipeline.web import graphview

    own = record("uploads/KH 121-KH-UBND.txt", Header(
        type="KH", key="5/KH-UBND", number="5", year=2024, date="2024-02-01",
        issuer="Ủy ban nhân dân huyện Tam Đường", title="Kế hoạch 5"), [])
    other = record("b.txt", Header(type="KH", title="Kế hoạch B", year=2024,
                                   issuer="Ủy ban nhân dân huyện Tam Đường"),
                   [cit("121/KH-UBND", date="2024-01-05", issuer="Ủy ban nhân dân huyện Tam Đường")])
    db = build(tmp_path, [other, own])
    doc_id = db.execute("select id from documents where path like 'uploads/%'").fetchone()[0]
    ref = graphview.resolve(db.conn, doc=str(doc_id))
    node = graph.nodes_by_id(db, [int(ref[5:])])[int(ref[5:])]
    assert node["key"] == "5/KH-UBND" and node["document_id"] == doc_id


@pytest.mark.parametrize("field, pairs, shown", [
    ("issuer", [("Bộ", 3), ("Bộ Chính trị", 2)], "Bộ Chính trị"),          # cut short: counts for it
    ("issuer", [("Ủy ban nhân dân tỉnh", 4), ("Ủy ban nhân dân tỉnh Bắc Ninh", 2)],
     "Ủy ban nhân dân tỉnh Bắc Ninh"),
    ("issuer", [("Chính phủ", 5), ("Chính phủ Việt Nam", 2)], "Chính phủ"),  # a body's own name
    ("issuer", [("Ủy ban nhân dân Thành phố", 3), ("Ủy ban nhân dân Thành phố thành", 1)],
     "Ủy ban nhân dân Thành phố"),                 # a longer form one document gives is no proof
    ("issuer", [("Bộ Chính trị", 1), ("Ban Chấp hành Trung ương Đảng", 3)],
     "Ban Chấp hành Trung ương Đảng"),             # most documents, whatever one mention says
    ("title", [("b", 2), ("a", 1)], "b"), ("title", [("b", 1), ("a", 1)], "a"),
    ("year", [(2024, 2), (2023, 2)], 2023), ("issuer", [(None, 3), ("", 2)], None),
])
def test_display_values_by_agreement(field, pairs, shown):
    from pipeline.graph.contributions import agree

    assert agree(field, pairs) == shown


def test_a_cited_only_node_shows_what_most_citing_documents_say(tmp_path):
    """One malformed page calls 57-NQ/TW's issuer 'Bộ'; two say 'Bộ Chính trị': the node shows
    'Bộ Chính trị', whichever came first, and a rebuild agrees."""
    def citing(path, issuer):
        return record(path, Header(type="KH", title=f"Kế hoạch {path}", year=2024,
                                   issuer="Tỉnh ủy Lai Châu"),
                      [cit("57-NQ/TW", "implements", date="2024-12-22", issuer=issuer)])

    docs = [citing("a.txt", "Bộ"), citing("b.txt", "Bộ Chính trị"), citing("c.txt", "Bộ Chính trị")]
    for order, name in ((docs, "x.db"), (docs[::-1], "y.db")):
        db = build(tmp_path, order, name)
        (target,) = graph.cited_by(db, "57-NQ/TW")["targets"]
        assert target["issuer"] == "Bộ Chính trị", name
        before = graph.snapshot(db)
        graph.rebuild(db)
        assert graph.snapshot(db) == before
    remove(db, ["b.txt", "c.txt"])  # only the malformed page is left: its word is all there is
    assert graph.cited_by(db, "57-NQ/TW")["targets"][0]["issuer"] == "Bộ"
