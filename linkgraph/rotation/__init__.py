"""Cross-inspection rotation planner (交叉巡察 / "推磨式").

``plan_rotation(tables, round_id, RotationOptions(...))`` -> ``RotationPlan``;
``RotationPlan.as_record()`` is the JSON document of ``linkgraph rotate``.
"""
from __future__ import annotations

from linkgraph.rotation.options import (Alternative, MemberSwap, RotationOptions, RotationPair,
                                        RotationPlan)
from linkgraph.rotation.plan import plan_rotation

__all__ = ["Alternative", "MemberSwap", "RotationOptions", "RotationPair", "RotationPlan",
           "plan_rotation"]
