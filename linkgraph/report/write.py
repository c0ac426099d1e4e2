"""Write a report folder: ``index.html``, ``report.xlsx`` and the views it links to."""
from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from linkgraph.errors import LinkgraphError
from linkgraph.report.model import Report
from linkgraph.report.render import write_html, write_xlsx
from linkgraph.report.words import one_language
from linkgraph.session import Session

Progress = Callable[[str, float], None]


def write_report(report: Report, out: str | Path, *, session: Session | None = None,
                 provenance: Sequence[tuple[str, str]] = (), seed: int = 0,
                 max_nodes: int = 1500, progress: Progress | None = None,
                 names: Mapping[str, Mapping[str, str]] | None = None,
                 explorer: str | None = None, data: str | None = None) -> dict[str, float]:
    """Write the report into ``out`` (created); returns seconds per step.

    With ``session`` (the one the report was built from), every view of
    ``report.views`` is written beside ``index.html``; a view that cannot be
    made (e.g. no rotation plan) is left out and its links with it, and the
    page says so.  ``explorer`` (an address checked by
    :func:`~linkgraph.report.explorer.explorer_address`) links the tables' names
    into ``linkgraph explore``; ``data`` names the dataset in the page's sentence
    on how to start it.
    """
    from linkgraph.views import write_html as write_view
    from linkgraph.views.focus import view_request
    from linkgraph.views.kinds import request_spec

    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    timings: dict[str, float] = {}
    written: set[str] = set()
    failed: dict[str, str] = {}
    for job in report.views if session is not None else ():
        assert session is not None
        start = time.perf_counter()
        try:
            req = view_request(session, job.focus, round_id=job.round_id, lang=report.lang)
        except LinkgraphError as exc:
            failed[job.href] = one_language(str(exc), report.lang)
            continue
        spec = request_spec(req, max_nodes=max_nodes, seed=seed, lang=report.lang,
                            provenance=provenance)
        back = "← Back to the report" if report.lang == "en" else "← 返回报告"
        spec = replace(spec, links=((back, "index.html"),))
        write_view(spec, folder / job.href)
        written.add(job.href)
        timings[f"view {job.href}"] = time.perf_counter() - start
        if progress:
            progress(job.href, timings[f"view {job.href}"])
    report = _without_missing_links(report, written, failed)
    report = replace(report, provenance=tuple(provenance))
    start = time.perf_counter()
    write_html(report, folder / "index.html",
               overview="overview.html" if "overview.html" in written else None,
               explorer=explorer, data=data)
    write_xlsx(report, folder / "report.xlsx", names)
    timings["index.html + report.xlsx"] = time.perf_counter() - start
    return timings


def _without_missing_links(report: Report, written: set[str], failed: dict[str, str]) -> Report:
    sections = []
    for s in report.sections:
        kept = tuple(link for link in s.links if link.href in written)
        notes = [failed[link.href] for link in s.links if link.href in failed]
        note = ("; " if report.lang == "en" else "；").join(filter(None, [s.note, *notes]))
        sections.append(replace(s, links=kept, note=note))
    return replace(report, sections=tuple(sections))
