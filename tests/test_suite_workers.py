"""The suite runs on two pytest-xdist workers (pyproject.toml); the work
units are chosen in tests/conftest.py.  Only the files named ``*neo4j*``
run together on one worker, so a test elsewhere that used the Neo4j
fixtures would start a second server on the other worker."""
from __future__ import annotations

from tests.conftest import is_neo4j_file
from tests.neo4j_server_plugin import NEO4J_FIXTURES


def test_only_the_neo4j_files_use_the_neo4j_server(request):
    # every worker collects the whole run, so this sees every test of it
    outside = sorted({item.nodeid for item in request.session.items
                      if NEO4J_FIXTURES.intersection(getattr(item, "fixturenames", ()))
                      and not is_neo4j_file(str(item.path))})
    assert not outside, f"name these files test_*neo4j*.py (one server per run): {outside}"


def test_a_file_is_one_work_unit_and_the_neo4j_files_are_one():
    from tests.conftest import work_unit

    assert work_unit("tests/test_neo4j_io.py::test_a") == \
        work_unit("tests/test_explore_neo4j.py::test_b[x]")
    assert work_unit("tests/test_demo.py::test_a") == work_unit("tests/test_demo.py::T::test_c[x]")
    assert work_unit("tests/test_demo.py::test_a") != work_unit("tests/test_views.py::test_a")
    assert work_unit("tests/test_demo.py::test_a") != work_unit("tests/test_neo4j_io.py::test_a")
