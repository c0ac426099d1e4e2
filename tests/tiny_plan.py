"""A hand-made rotation plan shared by the view and report tests."""

#: A hand-made rotation plan for tiny's cross round X2 (the record shape of
#: linkgraph.rotation's plan): T2 from 金堂县 inspects 新津区 and back.
PLAN = {"pairs": [
    {"team_id": "T2", "from_region_id": "R1", "to_region_id": "R2", "unit_ids": ["U3"],
     "cost": 0.0, "soft_conflicts": []},
    {"team_id": "T3", "from_region_id": "R2", "to_region_id": "R1", "unit_ids": ["U2"],
     "cost": 1.5, "soft_conflicts": [
         {"person_id": "P3", "person_name": "王伟", "role": "member", "unit_id": "U2",
          "unit_name": "金堂县第一中学", "relation": "same_system", "relation_zh": "同系统",
          "hops": 1, "score": 1.5, "explanation": "王伟现任金堂县教育局局长，与金堂县第一中学同属教育系统"}]},
], "objective": 1.5, "optimal": True, "gap": 0.0, "constraints": {}}
