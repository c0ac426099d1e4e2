// leader_portrait.cypher
// 一把手画像 / a top leader's portrait
// Purpose: the material `linkgraph portrait` gathers for person $person_id,
//   as it stood on $as_of, one row per item: their posts (started by
//   $as_of); problems found in a unit they led as top leader (一把手) during
//   that tenure (found_date, else the round's start, between the post's
//   start and its end or $as_of); problems and leads (transferred by $as_of)
//   naming them; petitions about them; measures they own (of problems found
//   by $as_of); their ties, with whether the other side is a top leader.
// Parameters:
//   $person_id  string  required  the person (人员编码)
//   $as_of      date    today     judge as of this date
// Returns: section (post, tenure_problem, problem_involving, lead, petition,
//   measure, tie), item_id, unit_id, date, detail — by section, item_id.
MATCH (me:Person {id: $person_id})
CALL (me) {
  MATCH (me)-[h:HOLDS_POST]->(u:Unit)
  WHERE NOT coalesce(h.start > $as_of, false)
  RETURN 'post' AS section, u.id AS item_id, u.id AS unit_id, h.start AS date,
         h.title AS detail
  UNION
  MATCH (me)-[h:HOLDS_POST]->(u:Unit)<-[:FOUND_IN]-(p:Problem)
  WHERE h.is_top_leader AND NOT coalesce(h.start > $as_of, false)
  OPTIONAL MATCH (r:Round {id: p.round_id})
  WITH h, u, p, coalesce(p.found_date, r.start) AS found,
       CASE WHEN h.end <= $as_of THEN h.end ELSE $as_of END AS until
  WHERE found IS NOT NULL AND (h.start IS NULL OR found >= h.start) AND found <= until
  RETURN 'tenure_problem' AS section, p.id AS item_id, u.id AS unit_id,
         p.found_date AS date, p.category AS detail
  UNION
  MATCH (p:Problem)-[:INVOLVES]->(me)
  WHERE NOT coalesce(p.found_date > $as_of, false)
  RETURN 'problem_involving' AS section, p.id AS item_id, p.unit_id AS unit_id,
         p.found_date AS date, p.category AS detail
  UNION
  MATCH (l:Lead)-[:INVOLVES]->(me)
  WHERE NOT coalesce(l.transfer_date > $as_of, false)
  RETURN 'lead' AS section, l.id AS item_id, l.unit_id AS unit_id,
         l.transfer_date AS date, l.transferred_to AS detail
  UNION
  MATCH (x:Petition)-[:ABOUT]->(me)
  WHERE NOT coalesce(x.date > $as_of, false)
  RETURN 'petition' AS section, x.id AS item_id, x.unit_id AS unit_id, x.date AS date,
         x.topic AS detail
  UNION
  MATCH (m:Measure)-[:OWNED_BY]->(me), (m)-[:RECTIFIES]->(p:Problem)
  WHERE NOT coalesce(p.found_date > $as_of, false)
  RETURN 'measure' AS section, m.id AS item_id, p.unit_id AS unit_id, m.due_date AS date,
         m.status AS detail
  UNION
  MATCH (me)-[t:TIE]-(o:Person)
  WITH o, t, EXISTS {
    MATCH (o)-[h:HOLDS_POST]->(:Unit)
    WHERE h.is_top_leader AND NOT coalesce(h.start > $as_of, false)
  } AS is_leader
  RETURN 'tie' AS section, o.id AS item_id, null AS unit_id, t.since AS date,
         t.relation + CASE WHEN is_leader THEN '（一把手）' ELSE '' END AS detail
}
RETURN section, item_id, unit_id, date, detail
ORDER BY section, item_id, date, detail
