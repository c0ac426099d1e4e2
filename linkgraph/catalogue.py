"""The presentation catalogue: how a field or a value is shown to a user.

``linkgraph/data/catalogue.toml`` is the one place that says it — headers in
Chinese and English, the format of a cell (date, rate, list …), the labels
of vocabulary values (spouse → 配偶 / spouse) and of sheets.  Terminal
tables, CSV headers, workbooks, the report and the views all read it, so a
word changes in one place.
"""
from __future__ import annotations

import importlib.resources
import tomllib
from dataclasses import dataclass
from functools import cache

FORMATS = ("text", "wrap", "id", "int", "number", "rate", "date", "bool", "amount", "list")
LANGS = ("zh", "en")


@dataclass(frozen=True)
class Field:
    """One output field: its headers and the format of its cells."""

    key: str
    zh: str
    en: str
    format: str = "text"
    vocabularies: tuple[str, ...] = ()

    def header(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True, eq=False)
class Catalogue:
    fields: dict[str, Field]
    values: dict[str, dict[str, tuple[str, str]]]
    sheets: dict[str, tuple[str, str]]
    printed: dict[str, tuple[str, ...]]

    def field(self, key: str) -> Field | None:
        return self.fields.get(key)

    def header(self, key: str, lang: str = "zh") -> str:
        """The column header of ``key``; ``key`` itself if the catalogue lacks it."""
        f = self.fields.get(key)
        return f.header(lang) if f is not None else key

    def format(self, key: str) -> str:
        f = self.fields.get(key)
        return f.format if f is not None else "text"

    def label(self, vocabulary: str, value: str, lang: str = "zh") -> str:
        """How ``value`` of ``vocabulary`` reads in ``lang``: the canonical
        value or its Chinese word both find the entry; unknown values stay."""
        table = self.values.get(vocabulary, {})
        pair = table.get(value) or _by_word(self, vocabulary).get(value)
        if pair is None:
            return value
        return pair[1] if lang == "en" else pair[0]

    def labels(self, vocabulary: str, lang: str = "zh") -> dict[str, str]:
        """canonical value -> its label in ``lang``."""
        i = 1 if lang == "en" else 0
        return {k: v[i] for k, v in self.values.get(vocabulary, {}).items()}

    def show(self, key: str, value: str, lang: str = "zh") -> str:
        """A text cell of field ``key``: codes of its vocabularies named."""
        f = self.fields.get(key)
        for vocabulary in (f.vocabularies if f is not None else ()):
            shown = (relation_label(value, lang) if vocabulary == "relation"
                     else self.label(vocabulary, value, lang))
            if shown != value:
                return shown
        return value

    def sheet(self, key: str, lang: str = "zh") -> str:
        pair = self.sheets.get(key)
        if pair is None:
            return key
        return pair[1] if lang == "en" else pair[0]

    def print_columns(self, key: str) -> tuple[str, ...]:
        """The columns the printed page of sheet ``key`` keeps, in order
        (empty: the catalogue does not choose; the sheet prints what fits)."""
        return self.printed.get(key, ())


@cache
def _by_word(cat: Catalogue, vocabulary: str) -> dict[str, tuple[str, str]]:
    return {zh: (zh, en) for zh, en in cat.values.get(vocabulary, {}).values()}


@cache
def catalogue() -> Catalogue:
    """The shipped catalogue (read once)."""
    text = (importlib.resources.files("linkgraph") / "data" / "catalogue.toml").read_text("utf-8")
    raw = tomllib.loads(text)
    fields = {}
    for key, spec in raw.get("fields", {}).items():
        fmt = spec.get("format", "text")
        if fmt not in FORMATS:
            raise ValueError(f"catalogue.toml: field {key}: unknown format {fmt!r}")
        vocab = spec.get("values", ())
        fields[key] = Field(key, spec["zh"], spec["en"], fmt,
                            (vocab,) if isinstance(vocab, str) else tuple(vocab))
    values = {name: {str(k): (v[0], v[1]) for k, v in table.items()}
              for name, table in raw.get("values", {}).items()}
    sheets = {k: (v[0], v[1]) for k, v in raw.get("sheets", {}).items()}
    printed = {k: tuple(v) for k, v in raw.get("print", {}).items()}
    for key, cols in printed.items():
        unknown = [c for c in cols if c not in fields]
        if unknown:
            raise ValueError(f"catalogue.toml: [print] {key}: unknown fields {unknown}")
    return Catalogue(fields, values, sheets, printed)


def header(key: str, lang: str = "zh") -> str:
    return catalogue().header(key, lang)


def label(vocabulary: str, value: str, lang: str = "zh") -> str:
    return catalogue().label(vocabulary, value, lang)


def relation_label(relation: str, lang: str = "zh") -> str:
    """A tie's relation (or a conflict rule such as ``former_post``) as a
    user reads it; a two-step path ``a+b`` reads "a的b"."""
    if "+" in relation:
        a, b = relation.split("+", 1)
        joiner = " → " if lang == "en" else "的"
        return f"{relation_label(a, lang)}{joiner}{relation_label(b, lang)}"
    return catalogue().label("relation", relation, lang)
