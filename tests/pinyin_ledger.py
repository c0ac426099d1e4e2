"""tests/data/tiny with every name in pinyin: people, units, regions, teams,
rounds, departments, titles and sectors (陈明 → Chen Ming).

What stays Chinese is the ledgers' free text (categories, descriptions,
topics) and the vocabularies — closed ones (组长, 配偶, 已销号 …) and the common
written forms of open ones (gender 男, unit kind 事业单位 and level 县级, a
region's level 县, a petition's channel 来信) — which an English output must
translate.  So in English, any Han character that is not a
quote of that free text (:func:`free_text`) is a leak — a stricter test
than a corpus check, where a Chinese name would hide a Chinese word.
"""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

TINY = Path(__file__).parent / "data" / "tiny"

#: file -> the columns holding names (a department's name also stands in
#: ``leads.transferred_to``, so both are written the same way)
NAMES = {
    "people.csv": ("name",),
    "units.csv": ("name", "sector"),
    "regions.csv": ("name",),
    "teams.csv": ("name",),
    "rounds.csv": ("name",),
    "departments.csv": ("name",),
    "posts.csv": ("title",),
    "leads.csv": ("transferred_to", "signed_by"),
    "ties.csv": ("source",),
}

#: file -> the free-text columns that stay Chinese: the ledgers' own words,
#: which an English output quotes as written (like the repo's corpus check)
FREE_TEXT = {
    "problems.csv": ("category", "subcategory", "description"),
    "audits.csv": ("category", "description"),
    "petitions.csv": ("topic",),
    "measures.csv": ("description",),
    "departments.csv": ("supervises",),
}


def pinyin(text: str) -> str:
    """陈明 → Chen Ming; text without Han characters unchanged."""
    from pypinyin import lazy_pinyin

    if not any("\u3400" <= ch <= "\u9fff" for ch in text):
        return text
    return " ".join(w.capitalize() for w in lazy_pinyin(text) if w.strip())


def pinyin_ledger(folder: Path) -> Path:
    """A copy of tiny with its names in pinyin in ``folder``; returns it."""
    shutil.copytree(TINY, folder)
    for name, columns in NAMES.items():
        path = folder / name
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        fields = list(rows[0])
        for row in rows:
            for col in columns:
                if row[col]:
                    row[col] = ";".join(pinyin(part) for part in row[col].split(";"))
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fields)
            writer.writeheader()
            writer.writerows(rows)
    return folder


def free_text(folder: Path) -> str:
    """The free text of the ledger, one value a line: what an English output
    may quote in Chinese."""
    parts: set[str] = set()
    for name, columns in FREE_TEXT.items():
        with (folder / name).open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                parts.update(row[c] for c in columns if row.get(c))
    return "\n".join(sorted(parts))


def han_leaks(texts, corpus: str) -> list[str]:
    """Runs of Han characters in ``texts`` that quote nothing in ``corpus``."""
    import re

    bad = []
    for text in texts:
        for run in re.findall(r"[\u3400-\u9fff\uf900-\ufaff]+", text):
            if run not in corpus:
                bad.append(f"{run!r} in {text[:160]!r}")
    return bad
