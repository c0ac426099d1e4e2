// self_check_units.cypher
// 未巡先改名单 / units to self-check before being inspected
// Purpose: the "错题集" of a systemic cluster — the units of a sector (within
//   a region and the regions under it) that no round has inspected yet (no
//   assignment, no problem found), so they check themselves against the
//   cluster's problem before inspection comes; as the self_check_unit_ids of
//   `linkgraph clusters`.
// Parameters:
//   $sector     string  null  the cluster's sector (系统/行业); null = any
//   $region_id  string  null  the cluster's region (its sub-regions count); null = any
// Returns: unit_id, unit_name, sector, region_id, region_name — by unit_id.
MATCH (u:Unit)
WHERE ($sector IS NULL OR u.sector = $sector)
  AND ($region_id IS NULL OR EXISTS {
        MATCH (u)-[:IN_REGION]->(:Region)-[:PART_OF*0..]->(:Region {id: $region_id})
      })
  AND NOT EXISTS { MATCH (:Team)-[:INSPECTS]->(u) }
  AND NOT EXISTS { MATCH (:Problem)-[:FOUND_IN]->(u) }
OPTIONAL MATCH (u)-[:IN_REGION]->(r:Region)
RETURN u.id AS unit_id, u.name AS unit_name, u.sector AS sector, r.id AS region_id,
       r.name AS region_name
ORDER BY unit_id
