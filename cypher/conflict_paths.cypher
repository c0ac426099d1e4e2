// conflict_paths.cypher
// 巡察组与单位之间的关系路径 / conflict paths between a team and a unit
// Purpose: every path by which a member of team $team_id is tied to unit
//   $unit_id, up to $max_hops people in between: the member's own post in
//   the unit (hops 0), secondment from it (0), a declared tie (TIE, 社会关系)
//   to someone who holds or held a post in the unit (1), a tie of a tie (2),
//   and a fellow townsman (同乡: same hometown region) of such an official
//   (1). Raw paths, whatever the dates: `linkgraph conflicts` applies the
//   rules (hard/soft, look-back windows, weights) to them.
// Parameters:
//   $team_id   string  required  the team (巡察组编码)
//   $unit_id   string  required  the unit (单位编码)
//   $max_hops  int     2         at most this many people between member and unit
// Returns: person_id, person_name, role, kind (post, seconded, tie, townsman),
//   relation, hops, path (node keys "Label:id") — by person_id, hops, path.
MATCH (t:Team {id: $team_id})<-[mem:MEMBER_OF]-(m:Person), (u:Unit {id: $unit_id})
CALL (m, mem, u) {
  MATCH (m)-[h:HOLDS_POST]->(u)
  RETURN DISTINCT 'post' AS kind, h.title AS relation, 0 AS hops,
         ['Person:' + m.id, 'Unit:' + u.id] AS path
  UNION
  WITH m, mem, u WHERE mem.seconded_from_unit_id = u.id
  RETURN 'seconded' AS kind, 'seconded' AS relation, 0 AS hops,
         ['Person:' + m.id, 'Unit:' + u.id] AS path
  UNION
  MATCH (m)-[r:TIE]-(o:Person)-[:HOLDS_POST]->(u)
  WHERE $max_hops >= 1 AND o <> m
  RETURN 'tie' AS kind, r.relation AS relation, 1 AS hops,
         ['Person:' + m.id, 'Person:' + o.id, 'Unit:' + u.id] AS path
  UNION
  MATCH (m)-[r1:TIE]-(x:Person)-[r2:TIE]-(o:Person)-[:HOLDS_POST]->(u)
  WHERE $max_hops >= 2 AND x <> m AND o <> m AND o <> x
  RETURN 'tie' AS kind, r1.relation + '+' + r2.relation AS relation, 2 AS hops,
         ['Person:' + m.id, 'Person:' + x.id, 'Person:' + o.id, 'Unit:' + u.id] AS path
  UNION
  MATCH (m)-[:FROM_REGION]->(g:Region)<-[:FROM_REGION]-(o:Person)-[:HOLDS_POST]->(u)
  WHERE $max_hops >= 1 AND o <> m
  RETURN 'townsman' AS kind, 'townsman' AS relation, 1 AS hops,
         ['Person:' + m.id, 'Region:' + g.id, 'Person:' + o.id, 'Unit:' + u.id] AS path
}
RETURN m.id AS person_id, m.name AS person_name, mem.role AS role, kind, relation, hops, path
ORDER BY person_id, hops, path, relation
