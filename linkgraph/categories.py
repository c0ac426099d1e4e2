"""Problem categories harmonised onto the shipped taxonomy (问题类别归并).

Teams write one category many ways (违反中央八项规定精神 / 八项规定 / 作风问题).
``linkgraph/data/categories.toml`` holds the offices' three levels — branch
(党的领导 / 党的建设 / 全面从严治党), area (the 四个落实 / 四个聚焦) and category
(八项规定, 选人用人, 招投标, 三资管理, 惠民资金 …) — with the aliases teams use.

A written label is matched, in this order, on

1. a decision of the office (``--decisions`` file: accepted → that target;
   rejected → never that target);
2. an exact alias or name, at whichever level it names;
3. character similarity to the aliases (rapidfuzz's normalised Indel
   similarity ≥ ``similarity`` and ahead of the best other category by
   ``margin``), or the longest alias written inside the label;
4. for a vague label (其他, 作风问题 …), each problem's description: the
   category whose keywords it holds most (at least ``keyword_chars``
   characters of them, and no tie) — among the categories the label still
   narrows to when ``[match].means`` names them (四风问题: 形式主义官僚主义 or
   八项规定; then one keyword of two characters is enough); for a label naming two categories whole
   (工程项目招投标不规范), the description chooses between those two, and the
   label's own match stands when it cannot.

Anything else is *unresolved*: the written label is kept as the category and
the label goes to the review list with its best candidates.  ``harmonise``
returns the problems with ``category`` harmonised and the written label in
``category_written`` beside it, plus ``category_area``, ``category_branch``,
``category_level`` and ``category_match`` (how it was matched).
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import pandas as pd

from linkgraph.errors import ConfigError

try:
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[no-redef,unused-ignore]

LEVELS = ("category", "area", "branch")
#: how a label was matched, in the order tried; shown to users by ``METHOD_ZH``
METHODS = ("decision", "exact", "similar", "contains", "description", "unresolved")
METHOD_ZH = {"decision": "人工确认", "exact": "别名一致", "similar": "字面相近",
             "contains": "包含别名", "description": "按问题描述", "unresolved": "未能归并"}


@dataclass(frozen=True)
class Node:
    """One entry of the taxonomy at ``level``; ``parent`` is its area (for a
    category) or branch (for an area)."""

    name: str
    level: str
    parent: str | None
    aliases: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)   # hashed by identity: cached indexes per taxonomy
class Taxonomy:
    nodes: Mapping[str, Node]
    similarity: float
    margin: float
    keyword_chars: int
    vague: frozenset[str]
    suffixes: tuple[str, ...]
    #: a vague label that still narrows the choice (四风问题 → 形式主义官僚主义 or
    #: 八项规定), by its normal form: the description chooses among those
    means: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def area_of(self, name: str) -> str | None:
        node = self.nodes.get(name)
        if node is None:
            return None
        return name if node.level == "area" else node.parent if node.level == "category" else None

    def branch_of(self, name: str) -> str | None:
        node = self.nodes.get(name)
        if node is None:
            return None
        if node.level == "branch":
            return name
        area = self.area_of(name)
        return self.nodes[area].parent if area else None

    def parent_of(self, name: str) -> str | None:
        node = self.nodes.get(name)
        return node.parent if node else None

    @property
    def categories(self) -> list[Node]:
        return [n for n in self.nodes.values() if n.level == "category"]


@dataclass(frozen=True)
class Decision:
    """An office's decision on one written label: ``accept`` maps ``text`` to
    ``target``; a rejection forbids that target for the label."""

    text: str
    target: str
    accept: bool
    kind: str = "category"


@dataclass(frozen=True)
class LabelMatch:
    written: str
    category: str            # the harmonised name, or the written label if unresolved
    level: str | None        # category | area | branch; None when unresolved
    method: str
    score: float
    candidates: tuple[tuple[str, float], ...] = field(default=())


# ---------------------------------------------------------------- taxonomy


def _nodes(doc: Mapping) -> dict[str, Node]:
    out: dict[str, Node] = {}
    for key, level, parent_key in (("branch", "branch", None), ("area", "area", "branch"),
                                   ("category", "category", "area")):
        for row in doc.get(key, ()):
            name = row.get("name")
            if not name or name in out:
                raise ConfigError(f"问题类别表：{key} 缺少名称或名称重复：{name!r}"
                                  f" / category taxonomy: {key} without a name or named twice")
            parent = row.get(parent_key) if parent_key else None
            if parent_key and parent not in out:
                raise ConfigError(f"问题类别表：{name} 的上级 {parent!r} 未定义"
                                  f" / category taxonomy: {name}'s {parent_key} is not defined")
            out[name] = Node(name, level, parent, tuple(row.get("aliases", ())),
                             tuple(row.get("keywords", ())))
    return out


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """The shipped taxonomy, or the user's edited copy at ``path``."""
    if path is None:
        return _shipped()
    try:
        text = Path(path).read_text("utf-8-sig")
        return _parse(text)
    except OSError as exc:
        raise ConfigError(f"无法读取问题类别表 {path}: {exc.strerror}"
                          f" / cannot read the category taxonomy") from exc


@cache
def _shipped() -> Taxonomy:
    return _parse(resources.files("linkgraph").joinpath("data/categories.toml")
                  .read_text("utf-8"))


def _shipped_match() -> dict:
    """The shipped taxonomy's ``[match]``: the one place its defaults live."""
    text = resources.files("linkgraph").joinpath("data/categories.toml").read_text("utf-8")
    return dict(tomllib.loads(text).get("match", {}))


def _parse(text: str) -> Taxonomy:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"问题类别表格式错误 / category taxonomy is not valid TOML: {exc}") from exc
    # a user's copy without [match] (or some of its keys) keeps the shipped ones
    m = {**_shipped_match(), **doc.get("match", {})}
    return Taxonomy(_nodes(doc), float(m["similarity"]), float(m["margin"]),
                    int(m["keyword_chars"]),
                    frozenset(normal(v) for v in m.get("vague", ())),
                    tuple(sorted((normal(s) for s in m.get("suffixes", ())), key=len,
                                 reverse=True)),
                    {normal(k): frozenset(v) for k, v in dict(m.get("means", {})).items()})


# ---------------------------------------------------------------- matching

_NUMBERING = re.compile(r"^(?:[（(]?[一二三四五六七八九十\d]+[)）、.．:：]|[①-⑳])+")
_NOISE = re.compile(r"[\s\W_]+")


def normal(label: str) -> str:
    """NFKC, numbering and punctuation gone (关于 too), lower case."""
    text = unicodedata.normalize("NFKC", str(label)).strip()
    text = _NUMBERING.sub("", text)
    text = _NOISE.sub("", text).lower()
    return text.removeprefix("关于")


def _trimmed(text: str, suffixes: Sequence[str]) -> str:
    for s in suffixes:
        if text.endswith(s) and len(text) - len(s) >= 2:
            return text[: -len(s)]
    return text


@dataclass(frozen=True)
class _Index:
    exact: Mapping[str, str]                 # normal alias -> node name
    aliases: tuple[str, ...]                 # every normal alias, category level
    owner: tuple[str, ...]                   # its category


@cache
def _index(tax: Taxonomy) -> _Index:
    exact: dict[str, str] = {}
    for level in ("branch", "area", "category"):   # a category's alias wins over an area's
        for node in tax.nodes.values():
            if node.level != level:
                continue
            for a in (node.name, *node.aliases):
                exact[normal(a)] = node.name
                exact.setdefault(_trimmed(normal(a), tax.suffixes), node.name)
    pairs = sorted({(normal(a), n.name) for n in tax.nodes.values()
                    for a in (n.name, *n.aliases)})
    return _Index(exact, tuple(a for a, _ in pairs), tuple(n for _, n in pairs))


def match_label(label: str, tax: Taxonomy | None = None,
                decisions: Iterable[Decision] = ()) -> LabelMatch:
    """How one written label maps onto the taxonomy (without descriptions)."""
    tax = tax or load_taxonomy()
    written = str(label)
    key = normal(written)
    rejected = set()
    for d in decisions:
        if d.kind == "category" and normal(d.text) == key:
            if d.accept:
                return _found(tax, written, d.target, "decision", 1.0)
            rejected.add(d.target)
    idx = _index(tax)
    trimmed = _trimmed(key, tax.suffixes)
    for k in (key, trimmed):
        name = idx.exact.get(k)
        if name and name not in rejected and k not in tax.vague:
            return _found(tax, written, name, "exact", 1.0)
    if not key or key in tax.vague or trimmed in tax.vague:
        return LabelMatch(written, written, None, "unresolved", 0.0)
    ranked = _similar(trimmed, idx, rejected)
    if ranked:
        (best, score), rest = ranked[0], ranked[1:]
        runner = rest[0][1] if rest else 0.0
        if score >= tax.similarity and score - runner >= tax.margin:
            return _found(tax, written, best, "similar", score, tuple(ranked[:3]))
    inside = _contained(trimmed, idx, rejected)
    if inside:
        return _found(tax, written, inside, "contains", 0.9, tuple(ranked[:3]))
    return LabelMatch(written, written, None, "unresolved", ranked[0][1] if ranked else 0.0,
                      tuple(ranked[:3]))


def _similar(key: str, idx: _Index, rejected: set[str]) -> list[tuple[str, float]]:
    """Best similarity per taxonomy entry, best first."""
    from rapidfuzz import fuzz, process

    best: dict[str, float] = {}
    for _alias, score, i in process.extract(key, idx.aliases, scorer=fuzz.ratio, limit=40):
        name = idx.owner[i]
        if name not in rejected:
            best[name] = max(best.get(name, 0.0), score / 100.0)
    return sorted(((n, round(s, 3)) for n, s in best.items()), key=lambda t: (-t[1], t[0]))


def _contained(key: str, idx: _Index, rejected: set[str]) -> str | None:
    """The entry whose longest alias (≥ 3 characters) the label holds, or
    that holds the label (≥ 3 characters); None when two entries tie."""
    hits: dict[str, int] = {}
    for alias, name in zip(idx.aliases, idx.owner):
        if name in rejected or len(alias) < 3:
            continue
        if alias in key or (len(key) >= 3 and key in alias):
            hits[name] = max(hits.get(name, 0), min(len(alias), len(key)))
    if not hits:
        return None
    top = max(hits.values())
    names = [n for n, v in hits.items() if v == top]
    return names[0] if len(names) == 1 else None


def named_categories(label: str, tax: Taxonomy) -> frozenset[str]:
    """The categories (not areas or branches) whose name or an alias of four
    characters or more the label holds whole: 工程项目招投标不规范 names both
    工程项目 and 招投标."""
    key = normal(label)
    idx = _index(tax)
    return frozenset(name for alias, name in zip(idx.aliases, idx.owner)
                     if len(alias) >= 4 and alias in key
                     and getattr(tax.nodes.get(name), "level", None) == "category")


def _found(tax: Taxonomy, written: str, name: str, method: str, score: float,
           candidates: tuple[tuple[str, float], ...] = ()) -> LabelMatch:
    node = tax.nodes.get(name)
    if node is None:   # a decision naming something outside the taxonomy: taken as written
        return LabelMatch(written, name, "category", method, score, candidates)
    return LabelMatch(written, name, node.level, method, score, candidates)


# ------------------------------------------------------------ descriptions


@cache
def _keyword_table(tax: Taxonomy) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((n.name, tuple(normal(k) for k in n.keywords)) for n in tax.categories
                 if n.keywords)


def by_description(description: str, tax: Taxonomy, within: str | None = None,
                   among: frozenset[str] | None = None) -> tuple[str | None, int]:
    """The category whose keywords the description holds most (characters
    of distinct keywords), if at least ``keyword_chars`` and no tie; only
    categories under ``within`` (an area or branch) when given, only those
    ``among`` when given (then one keyword of two characters is enough)."""
    text = normal(description or "")
    scores = sorted(((sum(len(k) for k in kws if k in text), name)
                     for name, kws in _keyword_table(tax)
                     if (within is None or within in (tax.area_of(name), tax.branch_of(name)))
                     and (among is None or name in among)),
                    reverse=True)
    # choosing between the two categories a label names needs less than
    # choosing among them all: one keyword of two characters (施工, 招标)
    need = 2 if among is not None else tax.keyword_chars
    if not scores or scores[0][0] < need:
        return None, scores[0][0] if scores else 0
    if len(scores) > 1 and scores[1][0] == scores[0][0]:
        return None, scores[0][0]
    return scores[0][1], scores[0][0]


def _means(tax: Taxonomy, label: str) -> frozenset[str] | None:
    """The categories a vague label narrows the choice to (``[match].means``),
    or None when it names nothing at all (其他)."""
    key = normal(label)
    return tax.means.get(key) or tax.means.get(_trimmed(key, tax.suffixes))


# ----------------------------------------------------------------- tables

COLUMNS = ("category_written", "category_area", "category_branch", "category_level",
           "category_match")


def _own_words_out(frame: pd.DataFrame, unit_names: Mapping[str, str] | None) -> pd.Series:
    """The descriptions with each row's own unit name taken out: a unit's name
    (文化旅游局, 财政局) is no evidence of what it did wrong."""
    text = frame["description"]
    if not unit_names or "unit_id" not in frame.columns:
        return text
    names = frame["unit_id"].map(unit_names)
    return pd.Series([d.replace(n, "") if isinstance(d, str) and isinstance(n, str) and n
                      else d for d, n in zip(text.tolist(), names.tolist())],
                     index=frame.index, dtype=object)


def harmonise(problems: pd.DataFrame, tax: Taxonomy | None = None,
              decisions: Iterable[Decision] = (),
              unit_names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """``problems`` with ``category`` harmonised and the written label kept in
    ``category_written`` (plus area, branch, level and how it matched).
    ``unit_names`` (unit_id → name): each unit's own name is taken out of
    its descriptions before they decide a vague label.
    Idempotent: a table already harmonised is returned unchanged."""
    if "category_written" in problems.columns:
        return problems
    tax = tax or load_taxonomy()
    decisions = tuple(decisions)
    out = problems.copy()
    if "description" in out.columns:
        described = _own_words_out(out, unit_names)
    written = out["category"]
    labels = {lab: match_label(lab, tax, decisions) for lab in written.dropna().unique()}
    cat = written.map(lambda v: labels[v].category if v in labels else v)
    level = written.map(lambda v: labels[v].level if v in labels else None)
    method = written.map(lambda v: labels[v].method if v in labels else None)
    # vague: unresolved, or naming only an area or a branch — the description
    # decides (within that area or branch)
    vague = (method.eq("unresolved") | level.isin(["area", "branch"])) & written.notna()
    if vague.any() and "description" in out.columns:
        found = [by_description(d, tax, None if m == "unresolved" else c,
                                among=_means(tax, w) if m == "unresolved" else None)[0]
                 if isinstance(d, str) else None
                 for d, m, c, w in zip(described[vague], method[vague], cat[vague],
                                       written[vague])]
        hit = pd.Series(found, index=out.index[vague], dtype=object).dropna()
        cat.loc[hit.index] = hit
        level.loc[hit.index] = "category"
        method.loc[hit.index] = "description"
    # a label naming two categories (工程项目招投标不规范): each problem's
    # description chooses between them; the label's own match otherwise
    if "description" in out.columns:
        two = {lab: among for lab in labels if len(among := named_categories(lab, tax)) >= 2
               and labels[lab].method in ("similar", "contains")}
        rows = written.isin(list(two)) & ~vague
        if rows.any():
            found = [by_description(d, tax, among=two[w])[0] if isinstance(d, str) else None
                     for d, w in zip(described[rows], written[rows])]
            hit = pd.Series(found, index=out.index[rows], dtype=object).dropna()
            cat.loc[hit.index] = hit
            level.loc[hit.index] = "category"
            method.loc[hit.index] = "description"
    out["category_written"] = written
    out["category"] = cat
    out["category_area"] = cat.map(lambda v: tax.area_of(v) if isinstance(v, str) else None)
    out["category_branch"] = cat.map(lambda v: tax.branch_of(v) if isinstance(v, str) else None)
    out["category_level"] = level
    out["category_match"] = method
    return out


def harmonise_tables(tables: Mapping[str, pd.DataFrame], tax: Taxonomy | None = None,
                     decisions: Iterable[Decision] = ()) -> dict[str, pd.DataFrame]:
    """The tables with problems (and audit findings) harmonised, and each
    department's ``supervises`` list mapped the same way.  Every analysis
    that shows or groups a category calls it first; tables already
    harmonised (by a session, with the office's decisions) are returned as
    they are."""
    tables = getattr(tables, "tables", tables)
    if is_harmonised(tables):
        return dict(tables)
    tax = tax or load_taxonomy()
    decisions = tuple(decisions)
    out = dict(tables)
    units = out.get("units")
    names = (dict(zip(units["unit_id"], units["name"])) if units is not None
             and {"unit_id", "name"} <= set(units.columns) else None)
    for name in ("problems", "audits"):
        t = out.get(name)
        if t is not None and "category" in t.columns:
            out[name] = harmonise(t, tax, decisions, names)
    depts = out.get("departments")
    if depts is not None and "supervises" in depts.columns:
        def mapped(cats):
            if not isinstance(cats, (list, tuple)):
                return cats
            return tuple(dict.fromkeys(match_label(c, tax, decisions).category for c in cats))
        out["departments"] = depts.assign(supervises=depts["supervises"].map(mapped))
    return out


def is_harmonised(tables: Mapping[str, pd.DataFrame]) -> bool:
    """Whether ``harmonise_tables`` already ran on these tables."""
    p = tables.get("problems")
    return p is not None and "category_written" in p.columns


def written_labels(frame: pd.DataFrame, key: str) -> pd.Series:
    """Per value of ``key`` in a harmonised table: the labels as written
    under it, "；"-joined and sorted (what a table shows beside the
    harmonised category)."""
    if "category_written" not in frame.columns:
        return pd.Series(dtype=object)
    f = frame[[key, "category_written"]].dropna().drop_duplicates()
    return f.sort_values([key, "category_written"]).groupby(key, sort=True)[
        "category_written"].agg("；".join)


def label_summary(problems: pd.DataFrame, tax: Taxonomy | None = None,
                  decisions: Iterable[Decision] = ()) -> list[dict[str, object]]:
    """One row per written label: what it was harmonised to, how, and how
    many problems carry it — unresolved and non-exact matches first (the
    review list)."""
    tax = tax or load_taxonomy()
    h = harmonise(problems, tax, decisions)
    rows = []
    g = h.dropna(subset=["category_written"]).groupby(
        ["category_written", "category", "category_match"], dropna=False, sort=True)
    for (written, cat, method), block in g:
        m = match_label(written, tax, decisions)
        rows.append({"kind": "category", "text": written,
                     "target": cat if method != "unresolved" else "",
                     "level": block["category_level"].iloc[0] or "",
                     "area": tax.area_of(cat) or "", "branch": tax.branch_of(cat) or "",
                     "method": method, "score": m.score if method != "description" else None,
                     "candidates": "；".join(f"{n} {s:.2f}" for n, s in m.candidates),
                     "n_problems": len(block), "review": method not in ("exact", "decision"),
                     "decision": ""})
    order = {m: i for i, m in enumerate(("unresolved", "description", "contains", "similar",
                                         "decision", "exact"))}
    rows.sort(key=lambda r: (order[str(r["method"])], -int(r["n_problems"]), str(r["text"])))
    return rows
