"""Stable ids from stable keys.

An id is a prefix and the first 12 hex digits of a BLAKE2b digest of the
record's key parts (unit, round, 序号 …) joined by U+001F: ``U`` units,
``P`` people, ``R`` rounds, ``T`` teams, ``D`` departments, ``G`` regions,
``Q`` problems, ``M`` measures, ``L`` leads, ``A`` audit findings, ``X``
petitions.  The same key always gives the same id, so importing the same
ledgers again gives the same ids and an edited ledger keeps the ids of the
rows it did not change.  48 bits make a collision unlikely even for a
province (about 0.2 % for a million keys); if one happens the key met second
(the import meets keys in a fixed order) takes a longer digest, so ids stay
unique.
"""
from __future__ import annotations

import hashlib

DIGEST_HEX = 12

PREFIX = {
    "units": "U", "people": "P", "rounds": "R", "teams": "T", "departments": "D",
    "regions": "G", "problems": "Q", "measures": "M", "leads": "L", "audits": "A",
    "petitions": "X",
}


def digest(*parts: str, length: int = DIGEST_HEX) -> str:
    joined = "\x1f".join(parts).encode("utf-8")
    return hashlib.blake2b(joined, digest_size=16).hexdigest()[:length].upper()


def stable_id(prefix: str, *parts: str) -> str:
    """``stable_id("U", "青岚县", "农业农村局")`` → ``U`` + 12 hex digits."""
    return prefix + digest(*parts)


class IdRegistry:
    """Hands out ids for keys and guarantees that two keys never share one."""

    def __init__(self) -> None:
        self._by_id: dict[str, tuple[str, ...]] = {}
        self._by_key: dict[tuple[str, ...], str] = {}

    def get(self, prefix: str, *parts: str) -> str:
        key = (prefix, *parts)
        found = self._by_key.get(key)
        if found is not None:
            return found
        length = DIGEST_HEX
        while True:
            candidate = prefix + digest(*parts, length=length)
            owner = self._by_id.get(candidate)
            if owner is None or owner == key:
                break
            length += 4
        self._by_id[candidate] = key
        self._by_key[key] = candidate
        return candidate
