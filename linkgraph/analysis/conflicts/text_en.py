"""The English evidence sentence of a conflict (``--lang en``).

The same facts as :meth:`~linkgraph.analysis.conflicts.text.Writer.explain`
writes in Chinese, in English words; names, units and titles stay as the
ledger writes them.
"""
from __future__ import annotations

from linkgraph import kinship
from linkgraph.analysis.conflicts.rules import chain_path
from linkgraph.analysis.conflicts.text import Writer
from linkgraph.catalogue import label, relation_label

DEGREE_EN = {kinship.Degree.SPOUSE: "spouses", kinship.Degree.LINEAL: "lineal blood relatives",
             kinship.Degree.COLLATERAL: "collateral blood relatives within three generations",
             kinship.Degree.IN_LAW: "close in-laws", kinship.Degree.DISTANT: "other relatives"}


def _month(m: int) -> str:
    return "?" if m < 0 else f"{1970 + m // 12}-{m % 12 + 1:02d}"


def _path_words(path: kinship.KinPath) -> str:
    """"parent's sibling's son: " for a word with one reading; nothing for a
    word with several (表亲, 姻亲), where the degree alone is the point."""
    shown = path.describe("en")
    return "" if " / " in shown or not shown else f"{shown}: "


class EnglishWriter:
    """English sentences over a Chinese :class:`Writer`'s lookups."""

    def __init__(self, writer: Writer):
        self.w = writer

    def who(self, row) -> str:
        w = self.w
        pid = w.pid[row.person]
        team = w.n.team.get(row.team, row.team)
        role = label("role", w.n.role.get((row.team, pid), "member"), "en")
        return f"{w.n.person[row.person]} ({team}, {role})"

    def post(self, post: int) -> str:
        w = self.w
        unit, title = w.n.unit[w.p_unit[post]], w.p_title[post]
        if w.p_end[post] < 0:
            return f"is now {title} at {unit}" if title else f"now works at {unit}"
        return (f"was {title or 'in post'} at {unit} from {_month(w.p_start[post])} to "
                f"{_month(w.p_end[post])}{self.inferred_end(post)}")

    def inferred_end(self, post: int) -> str:
        w = self.w
        nxt = int(w.p_end_from[post])
        if nxt < 0:
            return ""
        start = w.p_start[nxt]
        year = f" in {1970 + start // 12}" if start >= 0 else ""
        title = w.p_title[nxt] or "a post"
        return (f" (end date left blank: taken as when they became {title} at "
                f"{w.n.unit[w.p_unit[nxt]]}{year})")

    def explain(self, row) -> str:  # noqa: C901 - one branch per rule, as in Writer.explain
        w, rel, r = self.w, row.relation, self.w.rules
        head = self.who(row)
        unit = w.n.unit[row.unit]
        if rel in ("former_post", "long_post"):
            title = w.p_title[row.post] or "in post"
            start, end = _month(w.p_start[row.post]), _month(w.p_end[row.post])
            if w.p_end[row.post] < 0:
                text = f"{head} is now {title} at {unit} (since {start}): must recuse"
            elif rel == "former_post":
                text = (f"{head} was {title} at {unit} from {start} to {end}"
                        f"{self.inferred_end(row.post)}, less than {r.lookback_years} years ago")
            else:
                text = (f"{head} was {title} at {unit} from {start} to {end}"
                        f"{self.inferred_end(row.post)}: a long-term post "
                        f"({r.long_term_years} years or more)")
        elif rel == "seconded":
            text = f"{head} is seconded from the inspected unit {unit}"
        elif rel == "home_region":
            home = w.region(w.n.team_home.get(row.team))
            text = (f"{head}'s team is sent from {home}, and {unit} is in {home} too "
                    "(inspecting one's own region)")
        elif rel in ("colleague", "superior"):
            shared = w.n.unit[w.p_unit[row.aux_post]]
            kind = "superior and subordinate" if rel == "superior" else "former colleagues"
            via = w.n.person[row.via1]
            text = f"{head} worked with {via} at {shared} ({kind}); {via} {self.post(row.post)}"
        elif rel == "townsman":
            town = w.region(w.n.hometown[row.person])
            via = w.n.person[row.via1]
            text = (f"{head} and {via} both come from {town} (fellow townsmen); "
                    f"{via} {self.post(row.post)}")
        elif rel == "same_system":
            own = (self.post(row.aux_post) if row.aux_post >= 0
                   else f"is seconded from {w.n.unit[int(row.aux_unit)]}")
            text = f"{head} {own}, in the same sector as {unit} ({w.n.unit_sector[row.unit]})"
        elif row.hops == 2:
            text = (f"{head}'s {relation_label(row.rel1, 'en')} {w.n.person[row.via1]}'s "
                    f"{relation_label(row.rel2, 'en')} {w.n.person[row.via2]} "
                    f"{self.post(row.post)}")
            path = chain_path(w.ix, row.code1, row.code2) if row.code1 >= 0 else None
            if row.level == "hard" and path is not None:
                text += f" ({_path_words(path)}must recuse as {DEGREE_EN[kinship.degree(path)]})"
            elif row.level == "hard":
                text += f" (must recuse: {relation_label(rel, 'en')})"
            else:
                text += " (a tie at two steps)"
        else:
            text = self.one_tie(row, head)
        if row.n_evidence > 1:
            text += f" ({row.n_evidence} links of this kind in all)"
        return text

    def one_tie(self, row, head: str) -> str:
        w = self.w
        code, official = row.code1, w.n.person[row.via1]
        text = f"{head}'s {relation_label(row.relation, 'en')} {official} {self.post(row.post)}"
        kin = w.ix.kin[code] if code >= 0 else ""
        if kin and row.level == "hard":
            word = w.ix.words[code]
            path = kinship.stored(w.ix.kin[code - len(w.ix.kin) // 2]
                                  if not w.ix.forward[code] else kin, word)
            text += f" ({_path_words(path)}{DEGREE_EN[kinship.degree(path)]})"
        return text
