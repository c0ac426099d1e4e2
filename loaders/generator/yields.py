"""The planted cross-round yield effect (交叉巡察 finds more).

Published: one city's cross teams found 60 % more problems and 129 % more
leads than its ordinary rounds; 成都's 推磨式 rounds 44 % and 108 % more.  The
generator plants +40 % problems and +100 % leads per unit in the cross round
against the regular (常规) rounds: the cross round draws its background
problems from a wider range, and its lead rate is set so that leads per unit
come out at twice the regular mean.  ``expected_ratios`` gives the planted
ratios exactly (the expectation of the draws), for the truth and the tests.
"""
from __future__ import annotations

#: background problems per unit: lo + floor((hi - lo) * sqrt(U)), U uniform
REGULAR_PER_UNIT = (10, 26)
CROSS_PER_UNIT = (14, 36)
#: regular rounds draw their lead rate uniformly from this range (mean 0.05)
REGULAR_LEAD_RATE = (0.03, 0.07)
LEADS_RATIO = 2.0


def expected_count(lo: int, hi: int) -> float:
    """E[lo + floor((hi - lo) * sqrt(U))] = lo + sum_k P(floor(.) >= k),
    P(sqrt(U) >= k / n) = 1 - (k / n)^2."""
    n = hi - lo
    return lo + sum(1 - (k / n) ** 2 for k in range(1, n))


def problems_ratio() -> float:
    return expected_count(*CROSS_PER_UNIT) / expected_count(*REGULAR_PER_UNIT)


def cross_lead_rate() -> float:
    """The cross round's lead rate: leads per unit = rate × problems per unit
    comes out at LEADS_RATIO × the regular mean."""
    mean = sum(REGULAR_LEAD_RATE) / 2
    return mean * LEADS_RATIO / problems_ratio()


def expected_ratios() -> dict[str, float]:
    return {"problems": round(problems_ratio(), 4), "leads": LEADS_RATIO}
