"""A small made-up inspection graph for view demos, tests and benchmarks.

Not the project's synthetic generator (that lives in ``loaders/`` and plants
ground truth); this only gives views something realistic to draw, with the
graph model's labels and relationship types.  Deterministic for a seed.

    python -m linkgraph.views.sample demo.html      # write a demo view
"""
from __future__ import annotations

import random
import sys

import networkx as nx

CATEGORIES = ("违规发放津补贴", "公务接待超标", "三重一大决策不规范", "选人用人不规范",
              "专项资金管理不严", "整改落实不到位", "形式主义官僚主义", "基层党建弱化")
SECTORS = ("教育", "卫健", "住建", "农业农村", "交通", "乡镇")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英"


def inspection_graph(units: int = 40, *, problems: int = 15, people: int = 5,
                     seed: int = 0) -> nx.MultiDiGraph:
    """A county: towns, ``units`` units with officials, problems, measures,
    leads, one round with teams, and a few social ties."""
    rnd = random.Random(seed)
    G = nx.MultiDiGraph()

    def node(label: str, ident: str, **attrs) -> str:
        key = f"{label}:{ident}"
        G.add_node(key, label=label, id=ident, **attrs)
        return key

    county = node("Region", "R0", name="某县", level="县")
    towns = [node("Region", f"R{i}", name=f"第{i}镇", level="乡镇") for i in range(1, 6)]
    for t in towns:
        G.add_edge(t, county, type="PART_OF")
    cats = [node("Category", c, name=c) for c in CATEGORIES]
    rnd_key = node("Round", "XC2024-1", name="2024年第一轮巡察", kind="regular", start="2024-03-01")
    dept = node("Department", "D1", name="县纪委监委", kind="discipline")
    teams = [node("Team", f"T{i}", name=f"第{i}巡察组", round_id="XC2024-1") for i in range(1, 4)]
    for t in teams:
        G.add_edge(t, rnd_key, type="IN_ROUND")
    persons: list[str] = []
    for u in range(units):
        unit = node("Unit", f"U{u:03d}", name=f"{rnd.choice(SECTORS)}单位{u:03d}",
                    sector=rnd.choice(SECTORS), region_id=f"R{1 + u % 5}")
        G.add_edge(unit, towns[u % 5], type="IN_REGION")
        G.add_edge(teams[u % 3], unit, type="INSPECTS", round_id="XC2024-1")
        for p in range(people):
            ident = f"P{u:03d}{p}"
            person = node("Person", ident, name=rnd.choice(SURNAMES) + rnd.choice(GIVEN) + rnd.choice(GIVEN),
                          birth_year=1960 + rnd.randrange(35))
            G.add_edge(person, unit, type="HOLDS_POST", title="书记" if p == 0 else "副职",
                       is_top_leader=p == 0, start="2019-01-01")
            persons.append(person)
        for q in range(problems):
            cat = rnd.choice(CATEGORIES)
            prob = node("Problem", f"Q{u:03d}{q:02d}", category=cat, description=f"{cat}问题描述{q}",
                        unit_id=f"U{u:03d}", found_date="2024-04-15", immediate=q % 4 == 0)
            G.add_edge(prob, unit, type="FOUND_IN")
            G.add_edge(prob, cats[CATEGORIES.index(cat)], type="OF_CATEGORY")
            if q % 5 == 0:
                m = node("Measure", f"M{u:03d}{q:02d}", description="建立制度，追缴资金", status="open")
                G.add_edge(m, prob, type="RECTIFIES")
            if q == 1 and u % 4 == 0:
                lead = node("Lead", f"L{u:03d}", transferred_to="D1", disposition="verify")
                G.add_edge(lead, prob, type="ARISES_FROM")
                G.add_edge(lead, dept, type="TRANSFERRED_TO", transfer_date="2024-05-01")
    for i, t in enumerate(teams):
        for j in range(3):
            G.add_edge(persons[(i * 3 + j) * 7 % len(persons)], t, type="MEMBER_OF", role="member")
    for _ in range(max(1, len(persons) // 10)):
        a, b = rnd.sample(persons, 2)
        G.add_edge(a, b, type="TIE", relation=rnd.choice(("spouse", "classmate", "colleague", "townsman")))
    return G


def main(argv: list[str]) -> int:
    from linkgraph.views import build_view_spec, write_html

    out = argv[0] if argv else "linkgraph-sample-view.html"
    G = inspection_graph()
    write_html(build_view_spec(G, list(G), title="示例：某县 2024 年第一轮巡察"), out)
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
