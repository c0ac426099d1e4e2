"""Scale presets (county / city / province) and the plan for ``scale=<int>``."""
from __future__ import annotations

from dataclasses import dataclass, replace

from linkgraph.errors import LinkgraphError
from loaders.generator.words import BODIES


@dataclass(frozen=True)
class Preset:
    """How big a synthetic dataset is and how much is planted in it.

    ``cities == 0`` means the data is one county (its province and city are
    listed as regions only).  Counts of counties, townships and villages are
    means; each region varies around them unless ``exact_units`` is set.
    """

    name: str
    cities: int
    counties: int  # per city
    townships: int  # per county
    villages: int  # per township
    bodies: int  # bodies each county keeps (from words.BODIES, in order)
    upper_bodies: int  # bodies at city and province level
    township_extras: bool  # each township has a 中心小学 and a 卫生院
    plants: int  # how many times each conflict scenario is planted
    clusters: tuple[int, int, int]  # overrepresented, near_duplicate, profile
    targets: tuple[int, int]  # cross-round target units per region (min, max)
    exact_units: int | None = None

    @property
    def cross_level(self) -> str:
        """Level of the regions that inspect each other in the cross round."""
        return "乡" if self.cities == 0 else "县"


SCALES: dict[str, Preset] = {
    "county": Preset("county", 0, 1, 15, 25, len(BODIES), 0, True, 1, (1, 1, 1), (3, 5)),
    "city": Preset("city", 1, 10, 16, 24, len(BODIES), len(BODIES), True, 2, (2, 2, 2),
                   (4, 6)),
    "province": Preset("province", 15, 11, 18, 27, len(BODIES), len(BODIES), True, 6,
                       (5, 5, 5), (3, 5)),
}

#: Units of one county at the city preset (bodies + townships with extras).
_CITY_COUNTY_UNITS = 62 + 16 * (3 + 24)


def resolve(scale: str | int) -> Preset:
    """The preset for ``scale``: a name, or a number of units (city-like)."""
    if isinstance(scale, str):
        if scale in SCALES:
            return SCALES[scale]
        if not scale.isdigit():
            raise LinkgraphError(f"unknown scale {scale!r}: use county, city, province "
                                 "or a number of units")
        scale = int(scale)
    n = int(scale)
    if n < 20:
        raise LinkgraphError(f"scale {n} is too small: at least 20 units")
    counties = max(3, round(n / _CITY_COUNTY_UNITS))
    upper = min(len(BODIES), max(3, n // 80))
    per_county = (n - upper) / counties
    bodies = min(len(BODIES), max(3, int(per_county * 0.125)))
    townships = min(16, max(1, int((per_county - bodies) / 27)))
    extras = (per_county - bodies) / townships >= 12
    villages = max(1, round((per_county - bodies) / townships - (3 if extras else 1)))
    base = SCALES["city"]
    return replace(base, name=str(n), counties=counties, townships=townships,
                   villages=villages, bodies=bodies, upper_bodies=upper,
                   township_extras=extras, exact_units=n,
                   plants=max(1, min(6, n // 2500)),
                   clusters=(1, 1, 1) if n < 2000 else base.clusters)
