"""A small hand-made DATA folder for ``linkgraph staff`` (人才库 + two teams).

Round R2026 has two teams: 第一巡察组 inspects 石桥镇 (a township: needs 三资)
and 县住建局 (needs 工程); 第二巡察组 inspects 县城投公司 (a 国企: needs 财务,
审计).  Planted in the pool:

* 孙七 (P07) holds a post in 石桥镇 → hard conflict with team 1;
* 周八 (P08) is the spouse of 石桥镇's 镇长 (P30) → hard conflict with team 1;
* 吴九 (P09) is seconded from 县城投公司 → may not join team 2;
* 郑十 (P10) served R2024 and R2025 (two rounds in a row, the limit);
* 冯二 (P12) is new (以干代训), so needs an experienced teammate.
"""
from __future__ import annotations

from pathlib import Path

FILES = {
    "regions.csv": """region_id,name,level,parent_id
R0,清河县,县,
R1,石桥镇,乡镇,R0
""",
    "units.csv": """unit_id,name,region_id,sector,level,kind
U1,石桥镇,R1,乡镇,乡镇,乡镇
U2,县住建局,R0,住建,县级,行政机关
U3,县城投公司,R0,国资,县级,国企
U4,县纪委监委,R0,纪检,县级,机关
U5,县委组织部,R0,组织,县级,机关
U6,县审计局,R0,审计,县级,机关
U7,县司法局,R0,政法,县级,机关
""",
    "people.csv": """person_id,name,birth_year
P01,赵一,1970
P02,钱二,1972
P03,张三,1975
P04,李四,1978
P05,王五,1980
P06,陈六,1982
P07,孙七,1979
P08,周八,1983
P09,吴九,1985
P10,郑十,1976
P11,何一,1988
P12,冯二,1995
P13,卫三,1990
P14,蒋四,1987
P30,刘镇长,1971
""",
    "posts.csv": """person_id,unit_id,title,is_top_leader,start,end
P07,U1,副镇长,否,2022-01-01,
P30,U1,镇长,是,2021-05-01,
P09,U3,财务科长,否,2020-01-01,
""",
    "ties.csv": """person_a,person_b,relation,since,source
P08,P30,配偶,2005-01-01,回避申报
""",
    "rounds.csv": """round_id,name,kind,start,end,organizer_region_id
R2024,2024年第一轮,常规巡察,2024-03-01,2024-05-30,R0
R2025,2025年第一轮,常规巡察,2025-03-01,2025-05-30,R0
R2026,2026年第一轮,常规巡察,2026-03-01,2026-05-30,R0
""",
    "teams.csv": """team_id,round_id,name,home_region_id
T24,R2024,2024年巡察组,R0
T25,R2025,2025年巡察组,R0
T1,R2026,第一巡察组,R0
T2,R2026,第二巡察组,R0
""",
    "team_members.csv": """team_id,person_id,role
T24,P01,组长
T24,P10,成员
T24,P03,成员
T25,P02,组长
T25,P10,成员
T25,P04,副组长
""",
    "assignments.csv": """round_id,team_id,unit_id
R2024,T24,U6
R2025,T25,U7
R2026,T1,U1
R2026,T1,U2
R2026,T2,U3
""",
    "pool.csv": """person_id,pool_kind,specialties,source_unit_id,rounds_served,is_new
P01,组长库,纪检监察,U4,4,
P02,组长库,组织人事,U5,3,
P03,副组长库,纪检,U4,2,
P04,副组长库,组织,U5,2,
P05,成员库,财务审计,U6,1,
P06,成员库,工程管理,U6,2,
P07,成员库,三资;工程,U1,2,
P08,成员库,三资,U6,2,
P09,成员库,财务,U3,2,
P10,成员库,法律;审计,U7,,
P11,成员库,三资,U6,0,
P12,成员库,审计,U6,0,是
P13,联络员库,,U5,1,
P14,成员库,工程,U2,0,
""",
}


def write_ledger(root: Path, **replace: str) -> Path:
    """The folder, with any file's text replaced by ``replace[stem]``."""
    root.mkdir(parents=True, exist_ok=True)
    for name, text in FILES.items():
        text = replace.get(name.split(".")[0], text)
        (root / name).write_text(text, encoding="utf-8")
    return root
