"""Keep freed memory for reuse instead of handing it back to the kernel.

glibc serves every block above a few MB with its own ``mmap`` and unmaps it
on ``free``; an analysis that allocates and drops arrays of hundreds of MB
(n-gram codes, sparse matrices, pandas temporaries) then pays a page fault
for every 4 KiB of every new array.  At province scale that was 36 s of the
83 s ``linkgraph priorities`` took, nearly all kernel time; with large
blocks taken from the heap and freed memory kept (up to 1 GiB at its top),
the same run spends 17 s in the kernel, for 4 % more peak memory
(bench/bench_linkages.py).  Arrow's own allocator (jemalloc) gives its free
pages back the same way, so Arrow is pointed at malloc too
(``ARROW_DEFAULT_MEMORY_POOL=system``, unless already set).  On this
machine's virtual CPUs a fresh page costs about 1.5 s per GB to fault in,
which is why this matters.  ``LINKGRAPH_MALLOC=default`` leaves both alone.
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
