"""tests/data/tiny with hostile names: markup, a script breakout, formulas."""
from __future__ import annotations

import shutil
from pathlib import Path

TINY = Path(__file__).parent / "data" / "tiny"
HOSTILE = "<img src=x onerror=alert(1)>"
BREAKOUT = "</script><script>window.__pwned=1</script>"
FORMULA = "=HYPERLINK(\"http://example.invalid\";\"x\")"

#: file -> (text in tiny, replacement)
EDITS = {
    "units.csv": [("金堂县教育局", HOSTILE), ("新津区教育局", "@SUM(A1)")],
    "people.csv": [("陈明", HOSTILE), ("何娟", "+何娟")],
    "problems.csv": [("公务接待超标准", BREAKOUT), ("违规发放津补贴", "-违规发放津补贴")],
    "departments.csv": [("成都市财政局,财政局", "成都市财政局<b>,财政局")],
    "rounds.csv": [("2024年交叉巡察", FORMULA.replace('"', "'"))],
}


def hostile_ledger(folder: Path) -> Path:
    """A copy of tiny with hostile names in ``folder``; returns it."""
    shutil.copytree(TINY, folder)
    for name, edits in EDITS.items():
        path = folder / name
        text = path.read_text("utf-8")
        for old, new in edits:
            assert old in text, (name, old)
            text = text.replace(old, new)
        path.write_text(text, "utf-8")
    return folder
