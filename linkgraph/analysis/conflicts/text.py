"""Evidence rows → the readable sentence (Chinese, or English for
``--lang en``) and the path of node ids.

Both languages word the same facts from one table of templates
(:data:`TEXT`, key → (中文, English)); names, units and titles stay as the
ledger writes them.  Paths use the networkx graph's keys (``"Person:P1"``,
``"Unit:U3"``), so a view can highlight them and a Cypher query can fetch
them.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from linkgraph import kinship
from linkgraph.analysis.conflicts.derived import hometown_keys
from linkgraph.analysis.conflicts.index import ConflictIndex, RoundContext
from linkgraph.analysis.conflicts.rules import ConflictRules, chain_path
from linkgraph.catalogue import label, relation_label
from linkgraph.vocab import LABELS_ZH


def month(value) -> str:
    """2019-03-01 -> "2019年3月"; missing -> "?"."""
    if value is None or pd.isna(value):
        return "?"
    t = pd.Timestamp(value)
    return f"{t.year}年{t.month}月"


def _months(values: np.ndarray) -> np.ndarray:
    """datetime64 array -> months since 1970-01 (int), NaT -> -1."""
    m = np.asarray(values, dtype="datetime64[ns]").astype("datetime64[M]").astype(np.int64)
    return np.where(np.isnat(values), -1, m) if len(values) else m


def _month_text(m: int, lang: str = "zh") -> str:
    """Months since 1970-01 → 2019年3月 (``en``: 2019-03); -1 → "?"."""
    if m < 0:
        return "?"
    return f"{1970 + m // 12}-{m % 12 + 1:02d}" if lang == "en" else \
        f"{1970 + m // 12}年{m % 12 + 1}月"


#: Every sentence and phrase of an explanation: key → (中文, English).
TEXT: dict[str, tuple[str, str]] = {
    "who": ("{name}（{team} {role}）", "{name} ({team}, {role})"),
    "untitled": ("职务", "in post"),
    "untitled_next": ("职务", "a post"),
    "post_now": ("现任{unit}{title}", "is now {title} at {unit}"),
    "post_now_untitled": ("现在{unit}任职", "now works at {unit}"),
    "post_past": ("{start}至{end}任{unit}{title}{note}",
                  "was {title} at {unit} from {start} to {end}{note}"),
    "inferred_end": ("（任职结束时间空缺，按其{year}起任{unit}{title}推定）",
                     " (end date left blank: taken as when they became {title} at {unit}{year})"),
    "inferred_year": ("{year}年", " in {year}"),
    "current_post": ("{head}现任{unit}{title}（{start}起），须任职回避",
                     "{head} is now {title} at {unit} (since {start}): must recuse"),
    "former_post": ("{head}{start}至{end}曾任{unit}{title}{note}，离任不满{years}年",
                    "{head} was {title} at {unit} from {start} to {end}{note}, "
                    "less than {years} years ago"),
    "long_post": ("{head}{start}至{end}在{unit}任{title}{note}，长期任职（{years}年以上）",
                  "{head} was {title} at {unit} from {start} to {end}{note}: "
                  "a long-term post ({years} years or more)"),
    "seconded": ("{head}抽调自被巡察单位{unit}", "{head} is seconded from the inspected unit {unit}"),
    "home_region": ("{head}所在巡察组派出区域为{home}，{unit}同在{home}（本地巡本地）",
                    "{head}'s team is sent from {home}, and {unit} is in {home} too "
                    "(inspecting one's own region)"),
    "worked_with": ("{head}曾与{via}同在{shared}任职（{kind}），{via}{post}",
                    "{head} worked with {via} at {shared} ({kind}); {via} {post}"),
    "superior": ("上下级", "superior and subordinate"),
    "colleague": ("同事", "former colleagues"),
    "townsman": ("{head}与{via}同为{town}人（同乡），{via}{post}",
                 "{head} and {via} both come from {town} (fellow townsmen); {via} {post}"),
    "same_system": ("{head}{own}，与{unit}同属{sector}系统",
                    "{head} {own}, in the same sector as {unit} ({sector})"),
    "seconded_from": ("抽调自{unit}", "is seconded from {unit}"),
    "two_steps": ("{head}的{rel1}{via1}的{rel2}{via2}{post}",
                  "{head}'s {rel1} {via1}'s {rel2} {via2} {post}"),
    "two_steps_kin": ("（{path}，按{degree}回避）", " ({path}must recuse as {degree})"),
    "two_steps_rule": ("（按{rule}回避）", " (must recuse: {rule})"),
    "two_steps_soft": ("（二度关系）", " (a tie at two steps)"),
    "tie": ("{head}的{word}{official}{post}", "{head}'s {word} {official} {post}"),
    "tie_pair": ("{head}与{official}为{word}关系，{official}{post}",
                 "{head}'s {word} {official} {post}"),
    "tie_backwards": ("{head}是{official}的{word}，{official}{post}",
                      "{head}'s {word} {official} {post}"),
    "tie_degree": ("（{path}{degree}）", " ({path}{degree})"),
    "kin_path": ("{path}，", "{path}: "),
    "evidence": ("（同类关联共{n}条）", " ({n} links of this kind in all)"),
}

#: The kinship degrees in English (中文: :attr:`kinship.Degree.zh`).
DEGREE_EN = {kinship.Degree.SPOUSE: "spouses", kinship.Degree.LINEAL: "lineal blood relatives",
             kinship.Degree.COLLATERAL: "collateral blood relatives within three generations",
             kinship.Degree.IN_LAW: "close in-laws", kinship.Degree.DISTANT: "other relatives"}


def _path_words(path: kinship.KinPath) -> str:
    """"parent's sibling's son: " for a word with one reading; nothing for a
    word with several (表亲, 姻亲), where the degree alone is the point."""
    shown = path.describe("en")
    return "" if " / " in shown or not shown else say("kin_path", "en", path=shown)


def say(key: str, lang: str, **fields: object) -> str:
    """The template ``key`` in ``lang`` with its fields filled."""
    return TEXT[key][lang == "en"].format(**fields)


def _degree(path: kinship.KinPath, lang: str) -> str:
    d = kinship.degree(path)
    return DEGREE_EN[d] if lang == "en" else d.zh


@dataclass(frozen=True)
class Names:
    """Lookups from codes and ids to what a sentence needs."""

    person: np.ndarray       # code -> name
    hometown: np.ndarray     # code -> hometown region at the townsman level
    unit: np.ndarray         # code -> name
    unit_sector: np.ndarray  # code -> sector
    region: Mapping[str, str]
    team: Mapping[str, str]
    team_home: Mapping[str, str]
    role: Mapping[tuple[str, str], str]


def _by_code(n: int, codes: np.ndarray, values: pd.Series, missing: object) -> np.ndarray:
    out = np.full(n, missing, dtype=object)
    out[codes] = values.to_numpy(dtype=object)
    return out


def names_for(tables: Mapping[str, pd.DataFrame], index: ConflictIndex,
              ctx: RoundContext, townsman_levels: tuple[str, ...] = ()) -> Names:
    people, units = tables["people"], tables["units"]
    n_people, n_units = len(index.people), len(index.units)
    pr, ur = index.people_rows, index.unit_rows
    roles = LABELS_ZH["role"]
    return Names(
        person=_by_code(n_people, pr, people["name"], "（无姓名）"),
        hometown=_by_code(n_people, pr, pd.Series(hometown_keys(people, tables["regions"],
                                                                townsman_levels)), None),
        unit=_by_code(n_units, ur, units["name"], "（未知单位）"),
        unit_sector=_by_code(n_units, ur, units["sector"], None),
        region=dict(zip(tables["regions"]["region_id"], tables["regions"]["name"])),
        team=dict(zip(ctx.teams["team_id"], ctx.teams["name"].fillna(ctx.teams["team_id"]))),
        team_home=dict(zip(ctx.teams["team_id"], ctx.teams["home_region_id"])),
        role={(t, p): roles.get(r, r or "成员") for t, p, r in
              zip(ctx.members["team_id"], ctx.members["person_id"], ctx.members["role"])})


#: One-sided non-kin words: read backwards they need "是…的".
_ONE_SIDED = frozenset({"导师", "老师", "学生", "秘书", "领导秘书", "徒弟", "师傅", "师父"})


def _two_sided(index: ConflictIndex, code: int) -> bool:
    """Whether the word reads the same from both people (配偶, 叔侄, 同学), so
    it can be said from either side."""
    kin, word = index.kin[code], index.words[code]
    if not kin:
        return word not in _ONE_SIDED
    return kinship.is_pair_word(word) or all(kinship.neutral(r) == "E" for r in kin.split("|"))


class Writer:
    """Builds explanation (``lang`` zh or en) and path for one evidence row
    (a namedtuple)."""

    def __init__(self, index: ConflictIndex, names: Names, rules: ConflictRules):
        self.ix, self.n, self.rules = index, names, rules
        posts = index.posts
        self.pid = index.people.to_numpy(dtype=object)
        self.uid = index.units.to_numpy(dtype=object)
        self.p_unit = posts["unit"].to_numpy()
        self.p_title = [t if isinstance(t, str) else "" for t in posts["title"].tolist()]
        self.p_start = _months(posts["start"].to_numpy())
        self.p_end = _months(posts["end"].to_numpy())
        self.p_end_from = (posts["end_from"].to_numpy() if "end_from" in posts
                           else np.full(len(posts), -1))

    def who(self, row, lang: str = "zh") -> str:
        pid = self.pid[row.person]
        team = self.n.team.get(row.team, row.team)
        role = self.n.role.get((row.team, pid))
        role = (label("role", role or "member", "en") if lang == "en" else role or "成员")
        return say("who", lang, name=self.n.person[row.person], team=team, role=role)

    def post_phrase(self, post: int, lang: str = "zh") -> str:
        unit, title = self.n.unit[self.p_unit[post]], self.p_title[post]
        if self.p_end[post] < 0:
            return (say("post_now", lang, unit=unit, title=title) if title
                    else say("post_now_untitled", lang, unit=unit))
        return say("post_past", lang, start=_month_text(self.p_start[post], lang),
                   end=_month_text(self.p_end[post], lang), unit=unit,
                   title=title or say("untitled", lang), note=self.inferred_end(post, lang))

    def inferred_end(self, post: int, lang: str = "zh") -> str:
        """The note on an end the ledger left blank: 按其2019年起任XX推定."""
        nxt = int(self.p_end_from[post])
        if nxt < 0:
            return ""
        start = self.p_start[nxt]
        year = say("inferred_year", lang, year=1970 + start // 12) if start >= 0 else ""
        return say("inferred_end", lang, year=year, unit=self.n.unit[self.p_unit[nxt]],
                   title=self.p_title[nxt] or say("untitled_next", lang))

    def region(self, rid) -> str:
        return self.n.region.get(rid, rid or "?")

    def rule_name(self, relation: str, lang: str) -> str:
        return relation_label(relation, "en") if lang == "en" else self.rules.zh(relation)

    def explain(self, row, lang: str = "zh") -> str:
        rel, r = row.relation, self.rules
        head = self.who(row, lang)
        unit = self.n.unit[row.unit]
        if rel in ("former_post", "long_post"):
            title = self.p_title[row.post] or say("untitled", lang)
            start = _month_text(self.p_start[row.post], lang)
            end = _month_text(self.p_end[row.post], lang)
            if self.p_end[row.post] < 0:
                text = say("current_post", lang, head=head, unit=unit, title=title, start=start)
            else:
                text = say(rel, lang, head=head, unit=unit, title=title, start=start, end=end,
                           note=self.inferred_end(row.post, lang),
                           years=r.lookback_years if rel == "former_post" else r.long_term_years)
        elif rel == "seconded":
            text = say("seconded", lang, head=head, unit=unit)
        elif rel == "home_region":
            text = say("home_region", lang, head=head, unit=unit,
                       home=self.region(self.n.team_home.get(row.team)))
        elif rel in ("colleague", "superior"):
            text = say("worked_with", lang, head=head, via=self.n.person[row.via1],
                       shared=self.n.unit[self.p_unit[row.aux_post]], kind=say(rel, lang),
                       post=self.post_phrase(row.post, lang))
        elif rel == "townsman":
            text = say("townsman", lang, head=head, via=self.n.person[row.via1],
                       town=self.region(self.n.hometown[row.person]),
                       post=self.post_phrase(row.post, lang))
        elif rel == "same_system":
            own = (self.post_phrase(row.aux_post, lang) if row.aux_post >= 0
                   else say("seconded_from", lang, unit=self.n.unit[int(row.aux_unit)]))
            text = say("same_system", lang, head=head, own=own, unit=unit,
                       sector=self.n.unit_sector[row.unit])
        elif row.hops == 2:
            text = self.two_steps(row, head, lang)
        else:
            text = self.one_tie(row, head, lang)
        if row.n_evidence > 1:
            text += say("evidence", lang, n=row.n_evidence)
        return text

    def two_steps(self, row, head: str, lang: str) -> str:
        """王伟（…）的妻子何娟的弟弟何强现任…（按近姻亲回避）."""
        words = ((self.step_word(row.code1, row.rel1), self.step_word(row.code2, row.rel2))
                 if lang == "zh" else
                 (relation_label(row.rel1, "en"), relation_label(row.rel2, "en")))
        text = say("two_steps", lang, head=head, rel1=words[0], via1=self.n.person[row.via1],
                   rel2=words[1], via2=self.n.person[row.via2],
                   post=self.post_phrase(row.post, lang))
        path = chain_path(self.ix, row.code1, row.code2) if row.code1 >= 0 else None
        if row.level == "hard" and path is not None:
            shown = kinship.short_text(path) if lang == "zh" else _path_words(path)
            return text + say("two_steps_kin", lang, path=shown, degree=_degree(path, lang))
        if row.level == "hard":
            return text + say("two_steps_rule", lang, rule=self.rule_name(row.relation, lang))
        return text + say("two_steps_soft", lang)

    def step_word(self, code: int, relation: str) -> str:
        """How one tie reads from the side the chain walks: the word as
        written, or — for a one-sided word read backwards (叔叔 from the
        nephew) — its reverse in plain kinship words (兄弟姐妹的子女)."""
        word = self.ix.words[code] if code >= 0 else ""
        if not word:
            return self.rules.zh(relation)
        if self.ix.forward[code] or _two_sided(self.ix, code):
            return word
        kin = self.ix.kin[code]
        return kinship.neutral_text(kinship.stored(kin)) if kin else word

    def one_tie(self, row, head: str, lang: str = "zh") -> str:
        """A tie to an official: 王伟（…）的妻弟何强现任…（妻子的兄弟，近姻亲）."""
        code, official = row.code1, self.n.person[row.via1]
        post = self.post_phrase(row.post, lang)
        word = self.ix.words[code] if code >= 0 else ""
        kin = self.ix.kin[code] if code >= 0 else ""
        key = ("tie" if not word or self.ix.forward[code] or _two_sided(self.ix, code)
               else "tie_backwards")
        if word and kin and kinship.is_pair_word(word):
            key = "tie_pair"
        shown_word = (word or self.rules.zh(row.relation)) if lang == "zh" else \
            relation_label(row.relation, "en")
        text = say(key, lang, head=head, word=shown_word, official=official, post=post)
        if kin and row.level == "hard" and (word or lang == "en"):
            path = kinship.stored(self.ix.kin[code - len(self.ix.kin) // 2]
                                  if not self.ix.forward[code] else kin, word)
            text += say("tie_degree", lang, path=self.kin_words(path, word, lang),
                        degree=_degree(path, lang))
        return text

    @staticmethod
    def kin_words(path: kinship.KinPath, word: str, lang: str) -> str:
        """The path in kinship words before the degree, when it says more
        than the word itself and has one reading: 妻子的兄弟 for 妻弟; not
        for 表亲 or 姻亲, where the degree alone is the point."""
        if lang == "en":
            return _path_words(path)
        shown = path.describe()
        return "" if shown == word or "/" in shown else say("kin_path", lang, path=shown)

    def path(self, row) -> tuple[str, ...]:
        people, units = self.pid, self.uid
        me, target = f"Person:{people[row.person]}", f"Unit:{units[row.unit]}"
        rel = row.relation
        if rel in ("former_post", "long_post", "seconded"):
            return (me, target)
        if rel == "home_region":
            home = self.n.team_home.get(row.team)
            return (me, f"Team:{row.team}", f"Region:{home}", target)
        if rel in ("colleague", "superior"):
            shared = units[self.p_unit[row.aux_post]]
            return (me, f"Unit:{shared}", f"Person:{people[row.via1]}", target)
        if rel == "townsman":
            return (me, f"Region:{self.n.hometown[row.person]}", f"Person:{people[row.via1]}",
                    target)
        if rel == "same_system":
            return (me, f"Unit:{units[int(row.aux_unit)]}", target)
        chain = [row.via1] + ([row.via2] if row.hops == 2 else [])
        return (me, *(f"Person:{people[c]}" for c in chain), target)
