"""The graph model as data: node labels, relationship types and where each
comes from in the canonical tables.

The same labels, types and property names are used in networkx, in Neo4j and
in ``cypher/``.  Every node has the property ``id`` (the table's key) and is
keyed ``"<Label>:<id>"`` in networkx.  Direction is always as written here.
"""
from __future__ import annotations

from dataclasses import dataclass

LABELS: tuple[str, ...] = (
    "Region", "Unit", "Person", "Round", "Team", "Problem", "Category", "Lead",
    "Department", "Measure", "AuditFinding", "Petition",
    # the 成果 and review process (issue 19)
    "Review", "Result", "Talk", "Visit", "SupervisionInfo", "SelfCheck",
)

REL_TYPES: tuple[str, ...] = (
    "IN_REGION", "PART_OF", "HOLDS_POST", "TIE", "FROM_REGION", "IN_ROUND", "MEMBER_OF",
    "INSPECTS", "FOUND_IN", "OF_CATEGORY", "INVOLVES", "ARISES_FROM", "CONCERNS",
    "TRANSFERRED_TO", "RECTIFIES", "OWNED_BY", "AUDITS", "CORROBORATES", "ABOUT",
    "SUPERVISES",
    # the 成果 and review process (issue 19)
    "REVIEWS", "RESULT_OF", "HELD_ACCOUNTABLE", "TALK_AT", "TALKED_TO", "VISITS", "CHECKS",
    "PROVIDED_BY", "SELF_CHECKS", "IMPLICATES",
)

#: Label of each entity table's nodes (``Category`` nodes come from the
#: ``category`` columns of problems and audits).
TABLE_LABELS: dict[str, str] = {
    "regions": "Region", "units": "Unit", "people": "Person", "rounds": "Round",
    "teams": "Team", "problems": "Problem", "leads": "Lead", "departments": "Department",
    "measures": "Measure", "audits": "AuditFinding", "petitions": "Petition",
    "reviews": "Review", "results": "Result", "talks": "Talk", "visits": "Visit",
    "supervision_info": "SupervisionInfo", "self_checks": "SelfCheck",
}

LABEL_ZH: dict[str, str] = {
    "Region": "区域", "Unit": "单位", "Person": "人员", "Round": "巡察轮次", "Team": "巡察组",
    "Problem": "问题", "Category": "问题类别", "Lead": "问题线索", "Department": "部门",
    "Measure": "整改措施", "AuditFinding": "审计发现", "Petition": "信访举报",
    "Review": "整改审核", "Result": "巡察成果", "Talk": "政治谈话", "Visit": "回访",
    "SupervisionInfo": "监督信息", "SelfCheck": "自查",
}

REL_ZH: dict[str, str] = {
    "IN_REGION": "所属区域", "PART_OF": "隶属", "HOLDS_POST": "任职", "TIE": "社会关系",
    "FROM_REGION": "来自", "IN_ROUND": "所属轮次", "MEMBER_OF": "巡察组成员",
    "INSPECTS": "巡察", "FOUND_IN": "发现于", "OF_CATEGORY": "问题类别", "INVOLVES": "涉及",
    "ARISES_FROM": "源自问题", "CONCERNS": "涉及单位", "TRANSFERRED_TO": "移交",
    "RECTIFIES": "整改", "OWNED_BY": "责任主体", "AUDITS": "审计", "CORROBORATES": "印证",
    "ABOUT": "反映", "SUPERVISES": "主管",
    "REVIEWS": "审核", "RESULT_OF": "成果所属", "HELD_ACCOUNTABLE": "追责问责",
    "TALK_AT": "谈话单位", "TALKED_TO": "谈话对象", "VISITS": "回访", "CHECKS": "回访措施",
    "PROVIDED_BY": "提供部门", "SELF_CHECKS": "自查单位", "IMPLICATES": "线索涉及人员",
}


@dataclass(frozen=True)
class RelSpec:
    """Relationships of ``type`` from rows of ``table``.

    The start node is the row's own node (or ``start_label`` keyed by
    ``start_column`` for tables without nodes); the end node is ``end_label``
    keyed by ``end_column`` (a list column gives one relationship per item).
    ``properties`` are copied from the row onto the relationship.
    """

    type: str
    table: str
    end_label: str
    end_column: str
    start_label: str | None = None
    start_column: str | None = None
    properties: tuple[str, ...] = ()


RELATIONSHIPS: tuple[RelSpec, ...] = (
    RelSpec("IN_REGION", "units", "Region", "region_id"),
    RelSpec("IN_REGION", "departments", "Region", "region_id"),
    RelSpec("IN_REGION", "rounds", "Region", "organizer_region_id"),
    RelSpec("PART_OF", "regions", "Region", "parent_id"),
    RelSpec("PART_OF", "units", "Unit", "parent_id"),
    RelSpec("HOLDS_POST", "posts", "Unit", "unit_id", "Person", "person_id",
            ("title", "is_top_leader", "start", "end")),
    RelSpec("TIE", "ties", "Person", "person_b", "Person", "person_a",
            ("relation", "since", "source", "relation_word", "kinship")),
    RelSpec("FROM_REGION", "people", "Region", "hometown_region_id"),
    RelSpec("FROM_REGION", "teams", "Region", "home_region_id"),
    RelSpec("IN_ROUND", "teams", "Round", "round_id"),
    RelSpec("IN_ROUND", "problems", "Round", "round_id"),
    RelSpec("IN_ROUND", "leads", "Round", "round_id"),
    RelSpec("MEMBER_OF", "team_members", "Team", "team_id", "Person", "person_id",
            ("role", "seconded_from_unit_id")),
    RelSpec("INSPECTS", "assignments", "Unit", "unit_id", "Team", "team_id", ("round_id",)),
    RelSpec("FOUND_IN", "problems", "Unit", "unit_id"),
    RelSpec("OF_CATEGORY", "problems", "Category", "category"),
    RelSpec("OF_CATEGORY", "audits", "Category", "category"),
    RelSpec("INVOLVES", "problems", "Person", "person_ids"),
    RelSpec("INVOLVES", "leads", "Person", "person_id"),
    RelSpec("ARISES_FROM", "leads", "Problem", "problem_id"),
    RelSpec("CONCERNS", "leads", "Unit", "unit_id"),
    RelSpec("TRANSFERRED_TO", "leads", "Department", "transferred_to"),
    RelSpec("RECTIFIES", "measures", "Problem", "problem_id"),
    RelSpec("OWNED_BY", "measures", "Person", "owner_person_id"),
    RelSpec("OWNED_BY", "measures", "Department", "owner_dept_id"),
    RelSpec("AUDITS", "audits", "Unit", "unit_id"),
    RelSpec("ABOUT", "petitions", "Unit", "unit_id"),
    RelSpec("ABOUT", "petitions", "Person", "person_id"),
    RelSpec("SUPERVISES", "departments", "Category", "supervises"),
    # the 成果 and review process (issue 19)
    RelSpec("REVIEWS", "reviews", "Unit", "unit_id"),
    RelSpec("REVIEWS", "reviews", "Measure", "measure_id"),
    RelSpec("REVIEWS", "reviews", "Problem", "problem_id"),
    RelSpec("IN_ROUND", "reviews", "Round", "round_id"),
    RelSpec("RESULT_OF", "results", "Unit", "unit_id"),
    RelSpec("RESULT_OF", "results", "Lead", "lead_id"),
    RelSpec("IN_ROUND", "results", "Round", "round_id"),
    RelSpec("HELD_ACCOUNTABLE", "results", "Person", "person_ids"),
    RelSpec("TALK_AT", "talks", "Unit", "unit_id"),
    RelSpec("IN_ROUND", "talks", "Round", "round_id"),
    RelSpec("TALKED_TO", "talks", "Person", "person_ids"),
    RelSpec("VISITS", "visits", "Unit", "unit_id"),
    RelSpec("CHECKS", "visits", "Measure", "measure_ids"),
    RelSpec("PROVIDED_BY", "supervision_info", "Department", "from_dept_id"),
    RelSpec("ABOUT", "supervision_info", "Unit", "unit_id"),
    RelSpec("ABOUT", "supervision_info", "Person", "person_id"),
    RelSpec("SELF_CHECKS", "self_checks", "Unit", "unit_id"),
    # lead_people (many people per lead, for 件/人): one relationship per person
    # on the roster; people not on it (案外人) are the Lead's ``outside_people``
    RelSpec("IMPLICATES", "lead_people", "Person", "person_id", "Lead", "lead_id",
            ("name", "outcome")),
)

#: lead_people rows without a person on the roster (案外人) are kept on their
#: Lead as two parallel lists: the names and their outcomes ("" = none).
OUTSIDE_PEOPLE = ("outside_people", "outside_outcomes")

#: ``CORROBORATES`` (AuditFinding -> Problem) is derived, not read: an audit
#: finding corroborates the problem(s) of the same unit whose category and
#: description match it best (``linkgraph.analysis.audit.match_findings``).


def node_key(label: str, ident: str) -> str:
    """The networkx node key: ``"Unit:U001"``."""
    return f"{label}:{ident}"


def split_key(key: str) -> tuple[str, str]:
    label, _, ident = key.partition(":")
    return label, ident
