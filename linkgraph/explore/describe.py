"""What the explorer says about a node or a relationship: its display text,
the context that tells two 张伟 apart (``1978 · 河河镇党委书记``), tooltip rows
and its timeline.  Words come from the views' and the presentation
catalogue's tables (中文 by default, ``lang="en"``); no internal code
(``talk``, ``leader``) or bare id where a name exists reaches the user.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from linkgraph.catalogue import catalogue
from linkgraph.explore.index import NO_DATE, GraphIndex
from linkgraph.model import LABELS, REL_TYPES
from linkgraph.views import text as vt
from linkgraph.views.style import label_style, node_size

#: Vocabulary fields shown with the catalogue's words instead of their codes.
VOCAB_FIELDS = {"disposition": "disposition", "outcome": "outcome", "role": "role",
                "status": "status", "kind": "round_kind", "relation": "relation"}
#: Properties that hold an id of another node, and that node's label.
REFERENCES = {"unit_id": "Unit", "region_id": "Region", "hometown_region_id": "Region",
              "round_id": "Round", "team_id": "Team", "problem_id": "Problem",
              "person_id": "Person", "transferred_to": "Department",
              "owner_person_id": "Person", "owner_dept_id": "Department",
              "organizer_region_id": "Region", "home_region_id": "Region",
              "seconded_from_unit_id": "Unit", "parent_id": None}


def day_text(day: int) -> str:
    return "" if day == NO_DATE else (dt.date(1970, 1, 1) + dt.timedelta(days=int(day))).isoformat()


def name_of(index: GraphIndex, label: str, ident: object, lang: str = "zh") -> str:
    """The display name of the node ``label:ident`` (the id if unknown)."""
    code = index.code(f"{label}:{ident}")
    return display(index, code, lang=lang) if code >= 0 else str(ident)


def display(index: GraphIndex, code: int, limit: int = 24, lang: str = "zh",
            attrs: dict[str, Any] | None = None) -> str:
    """The node's short text (``limit`` characters at most), a lead's
    disposition in ``lang``'s words; ``attrs`` when the caller has them."""
    attrs = index.attrs(code) if attrs is None else attrs
    return vt.display_text(_shown(index, attrs, lang), index.keys[code], limit=limit, lang=lang)


def _shown(index: GraphIndex, attrs: dict[str, Any], lang: str) -> dict[str, Any]:
    """Attributes with vocabulary codes named (处置方式 谈话函询, not ``talk``)."""
    cat = catalogue()
    out = dict(attrs)
    for key, vocab in VOCAB_FIELDS.items():
        if key in out and isinstance(out[key], str):
            out[key] = cat.show(key, out[key], lang) if vocab == "relation" else \
                cat.label(vocab, out[key], lang)
    return out


def _edges_of(index: GraphIndex, code: int, rel: str) -> tuple[np.ndarray, np.ndarray]:
    nbr, edges = index.neighbours(code)
    mask = index.etype[edges] == REL_TYPES.index(rel)
    return nbr[mask], edges[mask]


def current_post(index: GraphIndex, person: int) -> tuple[int, dict[str, Any]] | None:
    """The person's post now (no end, latest start), else the last one held."""
    units, edges = _edges_of(index, person, "HOLDS_POST")
    if not len(edges):
        return None
    start, end = index.edge_dates(edges)
    open_post = end == NO_DATE
    order = np.lexsort((units, np.where(open_post, 0, end), start, open_post))
    best = int(order[-1])
    return int(units[best]), index.edge_attrs(int(edges[best]))


def context(index: GraphIndex, code: int, lang: str = "zh",
            attrs: dict[str, Any] | None = None) -> list[str]:
    """Short facts that tell this node apart from others of the same name."""
    label = index.label_of(code)
    attrs = index.attrs(code) if attrs is None else attrs
    parts: list[str] = []
    if label == "Person":
        if "birth_year" in attrs:
            parts.append(str(attrs["birth_year"]))
        post = current_post(index, code)
        if post is not None:
            unit, edge = post
            former = ("曾任" if lang == "zh" else "formerly ") if "end" in edge else ""
            parts.append(former + display(index, unit, lang=lang) + str(edge.get("title", "")))
            region = index.attrs(unit).get("region_id")
            if region is not None:
                parts.append(name_of(index, "Region", region, lang=lang))
        teams, _ = _edges_of(index, code, "MEMBER_OF")
        if len(teams):
            parts.append(vt.label_name("Team", lang) + " " + display(index, int(teams[0]), lang=lang))
    elif label in ("Unit", "Department"):
        if "region_id" in attrs:
            parts.append(name_of(index, "Region", attrs["region_id"], lang=lang))
        if attrs.get("sector"):
            parts.append(str(attrs["sector"]))
    else:
        for key in ("unit_id", "round_id", "category"):
            if key in attrs:
                ref = REFERENCES.get(key)
                parts.append(name_of(index, ref, attrs[key], lang=lang) if ref else str(attrs[key]))
        if index.date[code] != NO_DATE:
            parts.append(day_text(int(index.date[code])))
    return [vt.clean(p) for p in parts if p]


def summary(index: GraphIndex, code: int, lang: str = "zh") -> dict[str, Any]:
    """A node as the page draws it."""
    label = index.label_of(code)
    degree = int(index.indptr[code + 1] - index.indptr[code])
    style = label_style(label)
    attrs = index.attrs(code)
    return {"key": str(index.keys[code]), "label": label,
            "label_name": vt.label_name(label, lang),
            "text": display(index, code, lang=lang, attrs=attrs),
            "full": display(index, code, limit=120, lang=lang, attrs=attrs),
            "context": context(index, code, lang, attrs), "color": style.color,
            "size": round(float(node_size(label, degree)), 2), "degree": degree}


def tooltip(index: GraphIndex, code: int, lang: str = "zh") -> list[tuple[str, str]]:
    """Field / value rows; references show the referenced node's name."""
    attrs = _shown(index, index.attrs(code), lang)
    for key, label in REFERENCES.items():
        if key in attrs and label is not None:
            attrs[key] = name_of(index, label, attrs[key], lang=lang)
    if attrs.get("parent_id") is not None:
        attrs["parent_id"] = name_of(index, index.label_of(code), attrs["parent_id"], lang=lang)
    if "person_ids" in attrs:
        attrs["person_ids"] = [name_of(index, "Person", p, lang=lang) for p in attrs["person_ids"]]
    if "signed_by" in attrs and isinstance(attrs["signed_by"], (list, tuple)):
        attrs["signed_by"] = list(attrs["signed_by"])
    degree = int(index.indptr[code + 1] - index.indptr[code])
    return [(a, b) for a, b in vt.node_rows(attrs, index.label_of(code), degree, lang)]


def edge_summary(index: GraphIndex, e: int, lang: str = "zh") -> dict[str, Any]:
    attrs = index.edge_attrs(e)
    etype = attrs["type"]
    return {"id": f"e{e}", "source": str(index.keys[index.src[e]]),
            "target": str(index.keys[index.dst[e]]), "type": etype,
            "text": vt.edge_label_text(etype, attrs, lang)}


#: Records a node's timeline lists (with posts): what was found, transferred,
#: audited, reported, and the reviews, results, talks, visits, supervision
#: information and self-checks of the 成果 and review process.
TIMELINE_LABELS = ("Problem", "Lead", "AuditFinding", "Petition", "Review", "Result", "Talk",
                   "Visit", "SupervisionInfo", "SelfCheck")


def timeline(index: GraphIndex, code: int, lang: str = "zh") -> list[dict[str, str]]:
    """Posts and the records (TIMELINE_LABELS) of a node in date order."""
    nbr, edges = index.neighbours(code)
    rows: list[tuple[str, str, str, str]] = []
    start, end = index.edge_dates(edges)
    for i, (other, e) in enumerate(zip(nbr.tolist(), edges.tolist())):
        etype = REL_TYPES[int(index.etype[e])]
        other_label = LABELS[int(index.label[other])]
        if etype == "HOLDS_POST":
            title = str(index.edge_attrs(e).get("title", ""))
            what = f"{display(index, other, lang=lang)} {title}".strip()
            rows.append((day_text(int(start[i])), day_text(int(end[i])),
                         vt.edge_name(etype, lang), what))
        elif other_label in TIMELINE_LABELS:
            day = int(index.date[other])
            rows.append((day_text(day), "", vt.label_name(other_label, lang),
                         display(index, other, lang=lang)))
    rows.sort(key=lambda r: (r[0] or "9999", r[2], r[3]))
    keys = ("start", "end", "kind", "what")
    return [dict(zip(keys, r)) for r in rows]
