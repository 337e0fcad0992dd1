"""Graph commands: cited-by, validity, cites, implementers, trace, coverage, export, stats,
ambiguities, graph-rebuild. Thin: each parses its arguments, calls pipeline.graph, and prints text or JSON."""
from __future__ import annotations

import json
import sys

from .. import graph


def _print_json(obj) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def _db(args):
    """The database with its graph brought up to date: queries never write, the CLI does."""
    from ..storage import open_db

    db = open_db(args.db)
    graph.sync(db)
    return db


def _relations(args):
    from ..graph import LINEAGE

    if not getattr(args, "relations", None):
        return LINEAGE
    return tuple(r.strip() for r in args.relations.split(",") if r.strip())


def _describe(n: dict) -> str:
    bits = [b for b in (n.get("type"), n.get("issuer"), n.get("date") or n.get("year")) if b]
    tag = "" if n.get("status") == "document" else f" [{n.get('status')}]"
    return f"{n['label']}{tag}" + (f" ({', '.join(str(b) for b in bits)})" if bits else "")


def _no_match(ref: str) -> int:
    print(f"error: nothing in the graph matches {ref!r}", file=sys.stderr)
    return 2


def cmd_cited_by(args) -> int:
    from ..graph import cited_by

    r = cited_by(_db(args), args.key, year=args.year, issuer=args.issuer, limit=args.limit)
    if not r["targets"]:
        return _no_match(args.key)
    if args.format == "json":
        _print_json(r)
        return 0
    for t in r["targets"]:
        print(f"{_describe(t)}")
    print(f"cited by {r['documents']} document(s)" + (f" since {r['since']}" if r["since"] else ""))
    for c in r["citing"]:
        rels = ", ".join(f"{k}×{v}" for k, v in sorted(c["relations"].items()))
        where = ", ".join(c["positions"] + [f"§{s}" for s in c["sections"][:6]])
        print(f"  {c['date'] or '?':<10} {_describe(c['node'])}\n"
              f"      {c['relation']} — {c['mentions']} mention(s): {rels}; in {where or '-'}")
    if r.get("truncated"):
        print(f"  … first {len(r['citing'])} shown")
    return 0


_STATUS_VI = {"replaced": "bị thay thế", "repealed": "bị bãi bỏ", "amended": "được sửa đổi, bổ sung",
              "no change known": "chưa thấy văn bản nào sửa đổi, thay thế hay bãi bỏ"}


def cmd_validity(args) -> int:
    from ..graph import validity

    r = validity(_db(args), args.key, year=args.year, issuer=args.issuer)
    if not r["targets"]:
        return _no_match(args.key)
    if args.format == "json":
        _print_json(r)
        return 0
    for t in r["targets"]:
        print(_describe(t))
    print(f"status: {r['status']} ({_STATUS_VI[r['status']]})")
    for field, word in (("replaced_by", "replaced by"), ("repealed_by", "repealed by"),
                        ("amended_by", "amended by"), ("guided_by", "guided by")):
        for a in r[field]:
            when = a["date"] or "?"
            eff = f", in force from {a['effective']}" if a.get("effective") else ""
            print(f"  {word:<12} {when:<10} {_describe(a['node'])}{eff}")
    return 0


def cmd_cites(args) -> int:
    from ..graph import cites

    r = cites(_db(args), args.doc)
    if not r["sources"]:
        return _no_match(args.doc)
    if args.format == "json":
        _print_json(r)
        return 0
    for s in r["sources"]:
        print(_describe(s))
    print(f"cites {len(r['cites'])} document(s)")
    for c in r["cites"]:
        where = ", ".join(c["positions"] + [f"§{s}" for s in c["sections"][:6]])
        print(f"  {c['relation']:<10} {_describe(c['node'])} — {c['mentions']} mention(s) "
              f"in {where or '-'}")
    if r["stated"]:
        print("chains stated in its text:")
        for s in r["stated"]:
            print(f"  {s['source']} {s['relation']} {s['target']}")
    return 0


def cmd_implementers(args) -> int:
    from ..graph import implementers

    r = implementers(_db(args), args.key, transitive=args.transitive,
                     relations=_relations(args), limit=args.limit, year=args.year,
                     issuer=args.issuer)
    if not r["targets"]:
        return _no_match(args.key)
    if args.format == "json":
        _print_json(r)
        return 0
    for t in r["targets"]:
        print(_describe(t))
    kind = "directly or through a chain" if args.transitive else "directly"
    print(f"{len(r['implementers'])} implementer(s) {kind}")
    for i in r["implementers"]:
        hops = " ".join(f"─{h['relation']}→ {h['to']}" for h in i["hops"])
        print(f"  {_describe(i['node'])}\n      {i['label']} {hops}")
    if r["truncated"]:
        print("  … cut at the limit")
    return 0


def _print_tree(item: dict, prefix: str = "", last: bool = True, top: bool = True) -> None:
    if top:
        print(_describe(item["node"]))
    else:
        via = f"{item['relation']}" + (" (stated)" if item.get("origin") == "stated" else "")
        more = " ↑ see above" if item.get("repeat") else ""
        print(f"{prefix}{'└─' if last else '├─'} {via} {_describe(item['node'])}{more}")
        prefix += "   " if last else "│  "
    kids = item["children"]
    for i, c in enumerate(kids):
        _print_tree(c, prefix, i == len(kids) - 1, False)


def cmd_trace(args) -> int:
    from ..graph import trace

    r = trace(_db(args), args.ref, relations=_relations(args), limit=args.limit)
    if not r["roots"]:
        return _no_match(args.ref)
    if args.format == "json":
        _print_json(r)
        return 0
    for t in r["trees"]:
        _print_tree(t)
    if r["truncated"]:
        print("… cut at the limit")
    return 0


def cmd_coverage(args) -> int:
    from ..graph import coverage

    r = coverage(_db(args), args.key, relations=_relations(args))
    if r["directive"] is None:
        return _no_match(args.key)
    if args.format == "json":
        _print_json(r)
        return 0
    print(_describe(r["directive"]))
    if r.get("note"):
        print(f"  {r['note']}")
        if r.get("expected"):
            print("bodies its implementing plans send themselves to:")
            for e in r["expected"]:
                got = ", ".join(e["implemented_by"]) or "none"
                print(f"  {e['body']} (in {e['plan']}): {got}")
        return 0
    for rec in r["recipients"]:
        flag = " (for information)" if rec["for_report"] else ""
        print(f"  {rec['recipient']}{flag}")
        for b in rec["bodies"]:
            got = ", ".join(x["label"] for x in b["implemented_by"]) or "none"
            print(f"      {b['body']}: {got}")
    print(f"covered: {len(r['covered'])}, missing: {len(r['missing'])}")
    for m in r["missing"]:
        print(f"  missing: {m['body']}  ({m['recipient']})")
    others = [i for i in r["implementers"] if not i["recipient"]]
    if others:
        print("implementers by bodies not among the recipients:")
        for i in others:
            print(f"  {i['label']} ({i['issuer'] or '?'})")
    return 0


def cmd_export(args) -> int:
    from ..graph import export

    rels = tuple(r.strip() for r in args.relations.split(",")) if args.relations else None
    text = export(_db(args), args.format, args.output, relations=rels)
    if args.output:
        print(f"{args.format} → {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def cmd_stats(args) -> int:
    from ..graph import stats

    r = stats(_db(args), top=args.top, pagerank=not args.no_pagerank)
    if args.format == "json":
        _print_json(r)
        return 0
    print(f"nodes {r['nodes']} ({r['documents']} ingested, {r['cited_only']} cited only, "
          f"{r['ambiguous']} ambiguous), edges {r['edges']} ({r['stated_edges']} stated), "
          f"mentions {r['mentions']}")
    for title, key in (("most cited", "most_cited"), ("most implemented", "most_implemented")):
        print(f"{title}:")
        for x in r[key]:
            print(f"  {x['label']:<28} {x['citing']:>6} citing, {x['mentions']:>6} mentions")
    if "pagerank" in r:
        print("PageRank:")
        for x in r["pagerank"]:
            print(f"  {x['label']:<28} {x['score']:.6f}")
    return 0


def cmd_ambiguities(args) -> int:
    from ..graph import ambiguities

    rows = ambiguities(_db(args), limit=args.limit)
    if args.format == "json":
        _print_json(rows)
        return 0
    for a in rows:
        print(f"{a['node']['ident']}: {len(a['candidates'])} candidate(s)")
        for c in a["candidates"][:10]:
            print(f"    {c['ident']}")
    print(f"{len(rows)} ambiguous node(s) shown")
    return 0


def cmd_rebuild(args) -> int:
    from ..graph import rebuild

    from ..storage import open_db

    r = rebuild(open_db(args.db), progress=lambda m: print(m, file=sys.stderr))
    print(f"{r['documents']} documents, {r['mentions']} mentions → {r['nodes']} nodes, "
          f"{r['edges']} edges")
    return 0


def register(sub, add) -> None:
    """Add the graph commands to the `directives` parser (see cli.build_parser's `add`)."""
    def key_filters(sp):
        sp.add_argument("--year", type=int, help="only the document of this year (same number, "
                                                 "other years are other documents)")
        sp.add_argument("--issuer", help="only the document of this issuer (substring)")

    sp = add("cited-by", cmd_cited_by, "documents citing KEY: relation, count, where, since when",
             fmt=True)
    sp.add_argument("key", help="a key (91-KL/TW), a stored document, or node:ID")
    key_filters(sp)
    sp.add_argument("--limit", type=int)
    sp = add("validity", cmd_validity, "what later documents did to KEY: replaced, repealed, "
                                       "amended (by whom, when), and which guide it", fmt=True)
    sp.add_argument("key", help="a key (54/2014/QH13), a stored document, or node:ID")
    key_filters(sp)
    sp = add("cites", cmd_cites, "what a document cites, and the chains its text states", fmt=True)
    sp.add_argument("doc", help="id, path, file name or key of a stored document")
    sp = add("implementers", cmd_implementers,
             "documents implementing KEY, directly or (--transitive) through a chain, with paths",
             fmt=True)
    sp.add_argument("key")
    sp.add_argument("--transitive", action="store_true")
    sp.add_argument("--relations", help="edge relations to follow (default implements,based_on)")
    sp.add_argument("--limit", type=int, help="stop after this many nodes (nearest first)")
    key_filters(sp)
    sp = add("trace", cmd_trace, "lineage upward: everything DOC|KEY implements or is based on, "
                                 "as a tree", fmt=True)
    sp.add_argument("ref", help="a stored document (id, path, file name) or a key")
    sp.add_argument("--relations", help="edge relations to follow (default implements,based_on)")
    sp.add_argument("--limit", type=int)
    sp = add("coverage", cmd_coverage, "a directive's recipients, and which of them have an "
                                       "implementing document in the corpus", fmt=True)
    sp.add_argument("key")
    sp.add_argument("--relations", help="edge relations to follow (default implements,based_on)")
    sp = add("export", cmd_export, "write the graph: GraphML/GEXF (Gephi), node-link JSON, DOT")
    sp.add_argument("--format", choices=["graphml", "gexf", "json", "dot"], default="graphml")
    sp.add_argument("--output", "-o", help="file to write (default: standard output)")
    sp.add_argument("--relations", help="only these relations (comma-separated)")
    sp = add("stats", cmd_stats, "graph statistics: most cited, most implemented, PageRank",
             fmt=True)
    sp.add_argument("--top", type=int, default=10)
    sp.add_argument("--no-pagerank", action="store_true", help="skip PageRank (large graphs)")
    sp = add("ambiguities", cmd_ambiguities, "citations that match several documents", fmt=True)
    sp.add_argument("--limit", type=int, default=100)
    add("graph-rebuild", cmd_rebuild, "recompute the graph tables from stored citations")
