"""The citation graph: document identities, graph tables kept in step with every saved document,
lineage queries in recursive SQL, networkx export and statistics.

Identity. Every document, ingested or only cited, is a node. A mention carries a canonical key
(`91-KL/TW`, `3707/KH-UBND`) and what the text says of it; the key alone is not unique (state
numbers restart each year per issuer, Party numbers each term per committee), so a mention's
identity is the tuple (key, period, issuer):
  * period: the year for state documents, the Party term for Party documents (from the year, or
    the stated "khóa XI" for central ones), the year in the number for normative documents;
    an interval when only a range is possible (a congress year), unknown when nothing says;
  * issuer: the normalised issuing body, used only when the symbol does not already name one body
    (`KH-UBND` needs it, `NQ-CP` and `KL/TW` do not); a body named without its place
    ("Tỉnh ủy") is "bare" and can be refined by any place.
Tuples with the same key form a group. Two tuples are the same document only when their fields
agree or cannot disagree. A fully specified tuple is always its own node; a partial one joins the
one node it is compatible with, and when it is compatible with several it becomes an *ambiguous*
node of its own whose candidates are recorded (node_candidates) — nothing is merged silently.
The resolution of a group is a function of the set of its tuples only, so the final graph does not
depend on the order documents were ingested. An ingested document's own header gives a tuple too:
when it matches the placeholder its citers created, that node becomes the document (same node,
same edges). A draft with a blank number gets an identity from issuer, type, date and title.

Tables (besides the documents' own, storage/schema.py; `citations` is the mentions table):
  identities      distinct identity tuples, each mapped to its node (identity → node_id)
  nodes           one per document identity: status document | cited | ambiguous
  node_candidates ambiguous node → the nodes it may be
  mention_links   citation (mention) → identity, hence node; view `mentions` joins them
  document_nodes  ingested document → its own identity
  edge_sources    one row per document that gives evidence of an edge (the citing document
                  itself, origin 'cited', or a chain stated in its text, origin 'stated')
  edges           node → node per relation and origin, with mention and source counts and the
                  first evidence (earliest citing document)
  graph_dirty     documents written without the graph's upkeep (filled by triggers)
The tables are created by the storage schema (storage/schema.py). Maintenance is per document
(`sync_document`, called by the ingest writer inside the same transaction); `sync` brings in
documents written otherwise, `rebuild` recomputes everything in bulk from the same per-document
contributions (contributions.py). Queries never write: with documents not yet in the graph they
raise GraphOutOfDate. Transitive queries are recursive CTEs that visit each node once (UNION on
the node id), so cycles and self-citations terminate.

Modules, in the order data flows: identity (keys, tuples, group resolution) → contributions (what
one document gives) → maintain / rebuild (the tables) → queries, coverage, export (reading).
"""
from .coverage import coverage, recipient_bodies
from .export import EXPORT_FORMATS, ambiguities, export, snapshot, stats, to_dot, to_networkx
from .identity import (Tup, family, is_bare, issuer_needed, norm_issuer, normalise_key,
                       numbered_tuple, party_terms, resolve_group)
from .maintain import sync, sync_document
from .queries import (DRAWN_RELATIONS, LINEAGE, GraphOutOfDate, cited_by, cites, edges_among,
                      implementers, node_of_document, nodes_by_id, resolve_ref, trace,
                      tree_labels, validity)
from .rebuild import rebuild

__all__ = ["DRAWN_RELATIONS", "EXPORT_FORMATS", "LINEAGE", "edges_among", "node_of_document", "GraphOutOfDate", "Tup", "ambiguities", "cited_by",
           "cites", "coverage", "export", "family", "implementers", "is_bare", "issuer_needed",
           "nodes_by_id", "norm_issuer", "normalise_key", "numbered_tuple", "party_terms",
           "rebuild", "recipient_bodies", "resolve_group", "resolve_ref", "snapshot", "stats",
           "sync", "sync_document", "to_dot", "to_networkx", "trace", "tree_labels", "validity"]
