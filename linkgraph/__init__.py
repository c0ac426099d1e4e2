"""linkgraph — graph-based supervision linkage analyzer for inspection work (巡察)."""
from __future__ import annotations

__version__ = "0.1.0"
