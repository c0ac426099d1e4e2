"""Evidence rows → the readable Chinese sentence and the path of node ids.

Paths use the networkx graph's keys (``"Person:P1"``, ``"Unit:U3"``), so a
view can highlight them and a Cypher query can fetch them.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from linkgraph import kinship
from linkgraph.analysis.conflicts.index import ConflictIndex, RoundContext
from linkgraph.analysis.conflicts.rules import ConflictRules, chain_path
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


def _month_text(m: int) -> str:
    return "?" if m < 0 else f"{1970 + m // 12}年{m % 12 + 1}月"


@dataclass(frozen=True)
class Names:
    """Lookups from codes and ids to what a sentence needs."""

    person: np.ndarray       # code -> name
    hometown: np.ndarray     # code -> hometown region id
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
              ctx: RoundContext) -> Names:
    people, units = tables["people"], tables["units"]
    n_people, n_units = len(index.people), len(index.units)
    pr, ur = index.people_rows, index.unit_rows
    roles = LABELS_ZH["role"]
    return Names(
        person=_by_code(n_people, pr, people["name"], "（无姓名）"),
        hometown=_by_code(n_people, pr, people["hometown_region_id"], None),
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
    """Builds explanation and path for one evidence row (a namedtuple)."""

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

    def who(self, row) -> str:
        pid = self.pid[row.person]
        team = self.n.team.get(row.team, row.team)
        return f"{self.n.person[row.person]}（{team} {self.n.role.get((row.team, pid), '成员')}）"

    def post_phrase(self, post: int) -> str:
        unit, title = self.n.unit[self.p_unit[post]], self.p_title[post]
        if self.p_end[post] < 0:
            return f"现任{unit}{title}" if title else f"现在{unit}任职"
        return (f"{_month_text(self.p_start[post])}至{_month_text(self.p_end[post])}"
                f"任{unit}{title or '职务'}{self.inferred_end(post)}")

    def inferred_end(self, post: int) -> str:
        """The note on an end the ledger left blank: 按其2019年起任XX推定."""
        nxt = int(self.p_end_from[post])
        if nxt < 0:
            return ""
        start = self.p_start[nxt]
        year = f"{1970 + start // 12}年" if start >= 0 else ""
        title = self.p_title[nxt] or "职务"
        return (f"（任职结束时间空缺，按其{year}起任{self.n.unit[self.p_unit[nxt]]}{title}"
                f"推定）")

    def region(self, rid) -> str:
        return self.n.region.get(rid, rid or "?")

    def explain(self, row) -> str:
        rel, r = row.relation, self.rules
        head = self.who(row)
        if row.relation in ("former_post", "long_post"):
            title = self.p_title[row.post] or "职务"
            unit, start, end = self.n.unit[row.unit], self.p_start[row.post], self.p_end[row.post]
            start, end = _month_text(start), _month_text(end)
            if self.p_end[row.post] < 0:
                text = f"{head}现任{unit}{title}（{start}起），须任职回避"
            elif rel == "former_post":
                text = (f"{head}{start}至{end}曾任{unit}{title}{self.inferred_end(row.post)}，"
                        f"离任不满{r.lookback_years}年")
            else:
                text = (f"{head}{start}至{end}在{unit}任{title}{self.inferred_end(row.post)}，"
                        f"长期任职（{r.long_term_years}年以上）")
        elif rel == "seconded":
            text = f"{head}抽调自被巡察单位{self.n.unit[row.unit]}"
        elif rel == "home_region":
            home = self.region(self.n.team_home.get(row.team))
            text = f"{head}所在巡察组派出区域为{home}，{self.n.unit[row.unit]}同在{home}（本地巡本地）"
        elif rel in ("colleague", "superior"):
            shared = self.n.unit[self.p_unit[row.aux_post]]
            kind = "上下级" if rel == "superior" else "同事"
            text = (f"{head}曾与{self.n.person[row.via1]}同在{shared}任职（{kind}），"
                    f"{self.n.person[row.via1]}{self.post_phrase(row.post)}")
        elif rel == "townsman":
            town = self.region(self.n.hometown[row.person])
            text = (f"{head}与{self.n.person[row.via1]}同为{town}人（同乡），"
                    f"{self.n.person[row.via1]}{self.post_phrase(row.post)}")
        elif rel == "same_system":
            own = (self.post_phrase(row.aux_post) if row.aux_post >= 0
                   else f"抽调自{self.n.unit[int(row.aux_unit)]}")
            sector = self.n.unit_sector[row.unit]
            text = f"{head}{own}，与{self.n.unit[row.unit]}同属{sector}系统"
        elif row.hops == 2:
            text = (f"{head}的{self.step_word(row.code1, row.rel1)}{self.n.person[row.via1]}"
                    f"的{self.step_word(row.code2, row.rel2)}{self.n.person[row.via2]}"
                    f"{self.post_phrase(row.post)}")
            path = chain_path(self.ix, row.code1, row.code2) if row.code1 >= 0 else None
            if row.level == "hard" and path is not None:
                text += f"（{kinship.short_text(path)}，按{kinship.degree(path).zh}回避）"
            elif row.level == "hard":
                text += f"（按{r.zh(rel)}回避）"
            else:
                text += "（二度关系）"
        else:
            text = self.one_tie(row, head)
        if row.n_evidence > 1:
            text += f"（同类关联共{row.n_evidence}条）"
        return text

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
        return kinship.neutral_text(kinship.decode(kin)) if kin else word

    def one_tie(self, row, head: str) -> str:
        """A tie to an official: 王伟（…）的妻弟何强现任…（妻子的兄弟，近姻亲）."""
        code, official = row.code1, self.n.person[row.via1]
        post = self.post_phrase(row.post)
        word = self.ix.words[code] if code >= 0 else ""
        if not word:
            return f"{head}的{self.rules.zh(row.relation)}{official}{post}"
        if self.ix.kin[code] and kinship.is_pair_word(word):
            text = f"{head}与{official}为{word}关系，{official}{post}"
        elif self.ix.forward[code] or _two_sided(self.ix, code):
            text = f"{head}的{word}{official}{post}"
        else:
            text = f"{head}是{official}的{word}，{official}{post}"
        kin = self.ix.kin[code]
        if kin and row.level == "hard":
            path = kinship.decode(self.ix.kin[code - len(self.ix.kin) // 2]
                                  if not self.ix.forward[code] else kin, word)
            shown = path.describe()
            deg = kinship.degree(path).zh
            text += f"（{deg}）" if shown == word or "/" in shown else f"（{shown}，{deg}）"
        return text

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
