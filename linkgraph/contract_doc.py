"""The data contract as Markdown (docs/DATA.md is generated from schema.py).

Run ``python -m linkgraph.contract_doc > docs/DATA.md``; a test checks that
the committed file is current.
"""
from __future__ import annotations

from linkgraph.model import TABLE_LABELS
from linkgraph.schema import TABLES
from linkgraph.vocab import VOCABULARIES

_KINDS = {
    "id": "编码 id", "text": "文本 text", "date": "日期 date", "int": "整数 int",
    "float": "金额 amount", "bool": "是/否 yes/no", "ids": "编码列表 ids (;)",
    "list": "列表 list (;)",
}


RELATION_NOTE = [
    "`relation` is read as the word `person_b` is to `person_a` (与本人关系). Besides the",
    "words above, any kinship word is read by the grammar in `linkgraph/data/kinship.toml`",
    "(表哥, 妻弟, 小叔子, 老婆的姐夫 …) and classified by 公务员法 第七十四条: spouse,",
    "parent_child (直系血亲), sibling / collateral (三代以内旁系血亲), in_law (近姻亲), or",
    "other for kin the law does not name (表叔, 姑奶奶). A longer word holding a word above",
    "(大学同学) takes its value. A word nobody can read is kept as `other` (a soft tie) with",
    "a warning naming it — never a rejected row. The loaded `ties` table keeps",
    "`relation_word` (as written) and `kinship` (the path, e.g. `PGS` = 父母的兄弟姐妹的儿子)",
    "beside `relation`.",
    "",
]


#: How a table without a node label is held in the graph (or why it is not).
GRAPH_NOTES = {
    "lead_people": [
        "In the graph as `Lead-[:IMPLICATES {name, outcome}]->Person`. A row without",
        "`person_id` (案外人, someone not on the roster) is kept on its Lead as the lists",
        "`outside_people` (names) and `outside_outcomes` (\"\" where none), so 件/人 counts",
        "read the same from Neo4j.",
        "",
    ],
    "pool": [
        "A table only, not in the graph (Neo4j and `neo4j pull` leave it out): it says who",
        "may be drawn into a team next (availability, rounds served, the pool a person is",
        "in) — a planning input of `linkgraph staff` that changes between rounds, not a",
        "fact of inspection. Person nodes describe the person; keep the pool file beside",
        "the data.",
        "",
    ],
}


def render() -> str:
    lines = [
        "# 数据约定 / The data contract",
        "",
        "Generated from `linkgraph/schema.py` by `python -m linkgraph.contract_doc`.",
        "DATA is a folder with one file per table (CSV or Excel), or one Excel workbook",
        "with one sheet per table. File, sheet and column names may be the canonical",
        "English name or any Chinese alias below. **Bold** columns are required.",
        "A column the contract does not know (备注, 联系电话 …) is kept as text under its",
        "header as written, reported once per file: a property of the table's nodes in the",
        "graph and in Neo4j, or, for a relationship table (`posts`, `ties`, `team_members`,",
        "`assignments`, `lead_people`), of its relationships (a 案外人 row of `lead_people`",
        "has none, so there it stays in the table only). A header that is blank, holds `:`",
        "or a backtick, or repeats another is ignored, with a warning.",
        "",
    ]
    for t in TABLES:
        label = TABLE_LABELS.get(t.name)
        lines += [f"## `{t.name}` ({'、'.join(t.aliases)})", ""]
        if label:
            lines += [f"Graph label `{label}`, key `{t.key[0]}`.", ""]
        elif t.key:
            lines += [f"Unique: {' + '.join(t.key)}.", ""]
        lines += GRAPH_NOTES.get(t.name, [])
        lines += ["| column | 中文列名 | type | refers to |", "|---|---|---|---|"]
        for c in t.columns:
            name = f"**{c.name}**" if c.required else c.name
            kind = _KINDS.get(c.kind) or f"closed vocabulary `{c.kind.split(':')[1]}`"
            lines.append(f"| {name} | {'、'.join(c.aliases)} | {kind} | {c.ref or ''} |")
        lines.append("")
    lines += ["## Closed vocabularies", ""]
    for name, words in VOCABULARIES.items():
        lines += [f"### `{name}`", "", "| value | accepted words |", "|---|---|"]
        for canon, aliases in words.items():
            lines.append(f"| `{canon}` | {'、'.join(aliases)} |")
        lines.append("")
        if name == "relation":
            lines += RELATION_NOTE
    return "\n".join(lines)


if __name__ == "__main__":
    print(render(), end="")
