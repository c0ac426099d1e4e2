"""Keep freed memory for reuse instead of handing it back to the kernel.

glibc serves every block above a few MB with its own ``mmap`` and unmaps it
on ``free``; an analysis that allocates and drops arrays of hundreds of MB
(n-gram codes, sparse matrices, pandas temporaries) then faults every page
of every new array in afresh — and on these virtual machines a fresh page
costs about 1.5 s per GB.  At province scale that was 36 s (kernel time) of
the 83 s ``linkgraph priorities`` took; with large blocks taken from the heap
and freed memory never trimmed, 19 s of 68 s, for 4 % more peak memory.
Arrow's allocator (jemalloc) purges its free pages the same way, so Arrow is
pointed at malloc too (``ARROW_DEFAULT_MEMORY_POOL=system``, unless already
set): the near-duplicate step then spends 8.5 s in the kernel instead of 14 s
and peaks at 4.3 GB instead of 5.3.  ``LINKGRAPH_MALLOC=default`` leaves
both allocators alone.
"""
from __future__ import annotations

import ctypes
import os
import sys

# mallopt(3) parameters (glibc malloc.h)
M_TRIM_THRESHOLD = -1
M_MMAP_MAX = -4

#: never trim the heap: glibc hands back *all* the free memory at the heap's
#: top once it exceeds the threshold, so any finite threshold that a
#: province's gigabyte temporaries cross brings the page faults back
NEVER = -1  # as size_t: the largest value


def keep_freed_memory() -> bool:
    """Tune glibc malloc for large short-lived arrays; False where it cannot
    (another libc, another platform, or LINKGRAPH_MALLOC=default)."""
    if not sys.platform.startswith("linux") or os.environ.get("LINKGRAPH_MALLOC") == "default":
        return False
    if "pyarrow" not in sys.modules:  # read once, when Arrow makes its pool
        os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    # no mmap per block (so no unmap and fresh page faults per array), and
    # keep what is freed for the next array: the process keeps its peak
    return bool(mallopt(M_MMAP_MAX, 0)) and bool(mallopt(M_TRIM_THRESHOLD, NEVER))
