"""What the office-ledger reader hands to the resolver (the import's one seam).

``linkgraph import`` runs in three steps, each its own module family:

1. **read** (``loaders.office.read*``): every sheet of every source file is
   recognised as a table by its header words, its layout is taken apart
   (title rows, merged two-row headers, section rows, 合计 / 签字 rows, 同上
   cells, combined problem + measure rows, several items in one cell) and
   its values are parsed as offices write them (statuses, deadlines, dates,
   outcomes, amounts).  Units and people stay *mentions*: text as written.
2. **resolve** (``loaders.office.resolve*``): unit and person mentions are
   matched to entities (normalisation rules, record linkage, the office's
   crosswalk of earlier decisions); every non-exact match and every
   ambiguity goes to review; stable ids are generated from stable keys.
3. **write** (``loaders.office.importer``): the contract tables as UTF-8 CSV
   in DATA, ``import-report.json`` and ``review.xlsx``.

Every source row ends in exactly one place: one or more ``OfficeRecord``, a
``NonDataRow`` or a ``RejectedRow``.  ``SheetRead.rows_accounted()`` checks that.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Origin:
    """Where a record came from: ``row`` is the spreadsheet row (1-based) and
    ``item`` numbers the records one row was split into ("6-2" is item 2 of
    row 6; item 0 when the row gave one record)."""

    file: str
    sheet: str
    row: int
    item: int = 0

    @property
    def label(self) -> str:
        return f"{self.row}" if self.item == 0 else f"{self.row}-{self.item}"


@dataclass(frozen=True)
class UnitMention:
    """A unit as a ledger writes it (``中共青岚县农业农村局党组``, ``白沙镇人民政府``).

    ``context`` says where the text was found: ``"cell"``, ``"title"`` (the
    sheet's title row), ``"sheet"`` (the sheet's name) or ``"file"``."""

    text: str
    context: str = "cell"


@dataclass(frozen=True)
class PersonMention:
    """A person as a ledger writes one: a name, and what the same cell or row
    says about them (unit, title, birth ``1971`` or ``1971.03``, gender).
    ``text`` is the cell as written, kept for review and provenance.
    ``no_post``: the row says the person works in no unit (工作单位 ``无``,
    ``务农``) — not an official on any roster."""

    name: str
    text: str
    unit: UnitMention | None = None
    title: str | None = None
    birth: str | None = None
    gender: str | None = None
    no_post: bool = False


@dataclass(frozen=True)
class OfficeRecord:
    """One record of a contract table, with references still as mentions.

    ``table`` is a canonical table name (``problems``, ``measures``, ``leads``,
    ``people``, ``posts``, ``ties``, ``units``, ``teams``, ``team_members``,
    ``rounds``, ``assignments``, ``departments``, ``audits``, ``petitions``).
    ``values`` holds canonical column names → parsed values (dates as
    ``datetime.date``, statuses as canonical vocabulary, flags as bool);
    id and reference columns are absent.  ``refs`` holds the reference
    columns as mentions, keyed by the canonical column they resolve into
    (``unit_id``, ``person_id``, ``owner_person_id``, ``person_a``,
    ``person_b``, ``owner_dept_id``, ``transferred_to``, ``round_id``,
    ``team_id``…); a list where the column takes several (``person_ids``).
    ``key`` is the record's stable key *within its unit and round* (the
    sheet's 序号 and the item number, or the row's text when no 序号): the
    resolver turns (unit, round, key) into an id that stays the same when
    the ledger is imported again or edited elsewhere.  ``local`` is unique
    within one import; ``parent`` names the local id of the record this one
    belongs to (a measure's problem, a problem's lead).
    """

    table: str
    local: str
    origin: Origin
    values: dict[str, Any] = field(default_factory=dict)
    refs: dict[str, Any] = field(default_factory=dict)
    key: tuple[str, ...] = ()
    parent: str | None = None
    notes: tuple[str, ...] = ()  # inferences the import made ("年份取自同行其他日期")


@dataclass(frozen=True)
class NonDataRow:
    """A row that holds no record: ``kind`` is one of ``title``, ``meta``
    (填报单位/填报时间/统计截止时间), ``header``, ``section`` (一、…方面), ``total``
    (合计), ``signature`` (填表人/审核人/盖章), ``legend``, ``blank``, ``note``."""

    origin: Origin
    kind: str
    text: str


@dataclass(frozen=True)
class RejectedRow:
    """A row (or one item of it) that could not be read, with the reason."""

    origin: Origin
    column: str
    value: str
    reason: str


@dataclass(frozen=True)
class OfficeTotal:
    """A total the ledger states about itself (a 合计 row, a 统计 sheet,
    ``15件16人``): what it counts, and the number it gives."""

    origin: Origin
    table: str
    what: str  # "records", "people", "done", a column name …
    value: float
    text: str


@dataclass
class SheetRead:
    """Everything one sheet (or CSV file) gave."""

    file: str
    sheet: str
    table: str | None  # None: matched no table (reported, not ignored)
    header_rows: tuple[int, ...]
    rows_read: int
    records: list[OfficeRecord] = field(default_factory=list)
    non_data: list[NonDataRow] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)
    totals: list[OfficeTotal] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: the unit and round the title or sheet name names, when it does
    unit: UnitMention | None = None
    round_text: str | None = None

    def rows_accounted(self) -> set[int]:
        rows = {r.origin.row for r in self.records}
        rows |= {r.origin.row for r in self.non_data}
        rows |= {r.origin.row for r in self.rejected}
        return rows


# --- what the resolver hands to the writer -------------------------------


@dataclass(frozen=True)
class Candidate:
    """One entity a mention may be: its id, its display name and what the
    match rests on (``score`` is the linkage's match probability, 0–1)."""

    entity_id: str
    name: str
    score: float
    evidence: tuple[str, ...] = ()  # "同名", "同单位", "出生年月一致 1971.03" …


@dataclass(frozen=True)
class ReviewItem:
    """A match the office must decide: every non-exact match and every
    ambiguity.  ``kind`` is ``"unit"``, ``"person"`` or ``"category"``;
    ``mention`` is the text as written; ``chosen`` is what the import used
    meanwhile (None: the mention became an entity of its own); ``reason``
    says in words why it is in review.  ``key`` identifies the decision in
    the crosswalk, so the same pair is decided once."""

    kind: str
    key: str
    mention: str
    origins: tuple[Origin, ...]
    candidates: tuple[Candidate, ...]
    chosen: str | None
    reason: str


@dataclass(frozen=True)
class MentionLink:
    """Which entity one mention was resolved to (what the scorer compares with
    the truth).  ``kind`` is ``"unit"`` or ``"person"``; ``column`` is the
    reference column (``unit_id``, ``person_ids`` …); ``entity_id`` is None
    when the mention stayed unresolved (ambiguous, in review)."""

    kind: str
    origin: Origin
    column: str
    text: str
    entity_id: str | None


@dataclass
class Resolution:
    """The contract tables with every reference resolved to an id.

    ``tables`` maps a canonical table name to its rows (canonical column →
    value; ids are stable: the same ledger imported again gives the same
    ids).  ``origins`` gives, per table, the source of each row in the same
    order.  ``review`` is every decision left to the office; ``rejected``
    rows that could not be resolved at all (a reference with no candidate
    where the contract needs one)."""

    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    origins: dict[str, list[Origin]] = field(default_factory=dict)
    review: list[ReviewItem] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: every unit and person mention with the entity it became (for scoring)
    links: list[MentionLink] = field(default_factory=list)
