// unit_neighbourhood.cypher
// 单位的关联网络 / a unit's neighbourhood
// Purpose: the nodes within $hops relationships of unit $unit_id, whatever
//   the direction: its region, parent and sub-units, officials, teams,
//   problems, leads, audit findings, petitions (1 hop), and with $hops = 2
//   what those touch in turn — except through the hubs in $stop_labels
//   (every problem of a category is not a neighbour of the unit).
// Parameters:
//   $unit_id      string  required                          the unit (单位编码)
//   $hops         int     1                                 1 or 2
//   $stop_labels  list    Category,Region,Round,Department  labels not walked through
// Returns: label, id, name, distance — by distance, label, id.
MATCH (u:Unit {id: $unit_id})
OPTIONAL MATCH (u)--(n1)
WITH u, collect(DISTINCT n1) AS ring1
OPTIONAL MATCH (u)--(mid)--(n2)
WHERE $hops >= 2 AND NOT any(l IN labels(mid) WHERE l IN $stop_labels)
  AND n2 <> u AND NOT n2 IN ring1
WITH ring1, collect(DISTINCT n2) AS ring2
UNWIND [x IN ring1 | {node: x, distance: 1}] + [x IN ring2 | {node: x, distance: 2}] AS hit
WITH hit.node AS n, hit.distance AS distance
RETURN labels(n)[0] AS label, n.id AS id, coalesce(n.name, n.id) AS name, distance
ORDER BY distance, label, id
