"""The CLI's memory tuning (linkgraph/memory.py), checked in fresh
interpreters: it changes process-wide allocator settings."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

PROBE = ("from linkgraph.memory import keep_freed_memory; print(keep_freed_memory()); "
         "import pyarrow; print(pyarrow.default_memory_pool().backend_name)")


def _probe(**env: str) -> list[str]:
    clean = {k: v for k, v in os.environ.items()
             if k not in ("LINKGRAPH_MALLOC", "ARROW_DEFAULT_MEMORY_POOL")}
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                          env={**clean, **env}, check=True)
    return done.stdout.split()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc tuning is Linux-only")
def test_the_cli_keeps_freed_memory_and_points_arrow_at_malloc():
    assert _probe() == ["True", "system"]


def test_linkgraph_malloc_default_leaves_the_allocators_alone():
    tuned, pool = _probe(LINKGRAPH_MALLOC="default")
    assert tuned == "False" and pool != "system"


def test_an_arrow_pool_chosen_by_the_user_is_kept():
    assert _probe(ARROW_DEFAULT_MEMORY_POOL="mimalloc")[1] == "mimalloc"
