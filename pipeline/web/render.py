"""HTML built in Python: the document text with its citations and deadlines marked up.

Every piece of stored text goes through `escape` (markupsafe, the escaping Jinja uses); only the
tags written here are markup. Hover text lives in `data-tip` attributes, shown by CSS, so the
tooltips never become part of the document's text.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Callable, Optional

from markupsafe import Markup, escape

from .i18n import DEFAULT, Translator

_TIP_WORDS = {  # English → Vietnamese, for the hover text
    "(no number: not resolved)": "(không xác định được số hiệu)", "relation": "quan hệ",
    "in this database: click to open": "có trong cơ sở dữ liệu: bấm để mở",
    "lead": "chủ trì", "with": "phối hợp",
}


def _word(tr: Translator, s: str) -> str:
    return _TIP_WORDS.get(s, s) if tr.lang == "vi" else s


def citation_tip(c: dict, tr: Translator) -> str:
    lines = [c.get("key") or _word(tr, "(no number: not resolved)")]
    who = " · ".join(str(x) for x in (c.get("issuer"), c.get("date") or c.get("date_text"))
                     if x)
    if who:
        lines.append(who)
    lines.append(f"{_word(tr, 'relation')}: {tr.relation(c.get('relation')) or '?'}")
    if c.get("target_doc"):
        lines.append(_word(tr, "in this database: click to open"))
    return "\n".join(lines)


def deadline_tip(d: dict, tr: Translator) -> str:
    lines = [f"{tr.kind(d.get('kind') or 'deadline')}: {tr.due(d)}"]
    if d.get("agency"):
        lines.append(f"{_word(tr, 'lead')}: {d['agency']}")
    if d.get("partners"):
        lines.append(f"{_word(tr, 'with')}: " + "; ".join(d["partners"]))
    return "\n".join(lines)


def render_text(segments: list[dict], cite_href: Callable[[dict], Optional[str]],
                tr: Optional[Translator] = None) -> Markup:
    """Segments from `annotate` → escaped HTML. A citation becomes a link to the cited
    document's page (`cite_href(citation)`), a deadline a <mark>; hover text in `tr`'s language
    (Vietnamese by default)."""
    tr = tr or Translator(DEFAULT)
    out: list[str] = []
    for seg in segments:
        for anchor in seg["anchors"]:
            out.append(f'<span class="anchor" id="{escape(anchor)}"></span>')
        if not seg["text"]:
            continue
        body = str(escape(seg["text"]))
        d = seg["deadline"]
        if d is not None:
            body = (f'<mark class="deadline" data-deadline="{escape(d["id"])}" '
                    f'data-tip="{escape(deadline_tip(d, tr))}">{body}</mark>')
        c = seg["cite"]
        if c is not None:
            href = cite_href(c)
            attrs = (f'class="cite rel-{escape(c.get("relation") or "mentions")}" '
                     f'data-cite="{escape(c["id"])}" data-key="{escape(c.get("key") or "")}" '
                     f'data-tip="{escape(citation_tip(c, tr))}"')
            if href:
                body = f'<a {attrs} href="{escape(href)}">{body}</a>'
            else:
                body = f'<span {attrs}>{body}</span>'
        out.append(body)
    return Markup("".join(out))


def annotate(text: str, citations: list[dict], deadlines: list[dict],
             sections: list[dict] = ()) -> list[dict]:
    """Cut `text` into segments for display: each segment is {text, cite, deadline, anchors}.

    `cite`/`deadline` are the annotations covering the whole segment (the innermost citation
    when two overlap); `anchors` lists the ids to place before the segment (section starts,
    deadline starts). Spans outside the text are ignored. The caller escapes `text`.
    """
    n = len(text)
    bounds = {0, n}
    anchors: dict[int, list[str]] = defaultdict(list)
    cits = [c for c in citations if 0 <= c["start"] < c["end"] <= n]
    dls = [d for d in deadlines if 0 <= d["start"] < d["end"] <= n]
    for a in cits + dls:
        bounds.update((a["start"], a["end"]))
    for s in sections:
        if 0 <= s["start"] <= n:
            bounds.add(s["start"])
            anchors[s["start"]].append(f"sec-{s['sid']}")
    for d in dls:
        anchors[d["start"]].append(f"dl-{d['id']}")
    points = sorted(bounds)
    segs = []
    for a, b in zip(points, points[1:]):
        cover_c = [c for c in cits if c["start"] <= a and b <= c["end"]]
        cover_d = [d for d in dls if d["start"] <= a and b <= d["end"]]
        cite = min(cover_c, key=lambda c: c["end"] - c["start"]) if cover_c else None
        dl = min(cover_d, key=lambda d: d["end"] - d["start"]) if cover_d else None
        segs.append({"text": text[a:b], "cite": cite, "deadline": dl,
                     "first": bool(cite and cite["start"] == a),
                     "anchors": anchors.get(a, [])})
    if n in anchors:
        segs.append({"text": "", "cite": None, "deadline": None, "first": False,
                     "anchors": anchors[n]})
    return segs
