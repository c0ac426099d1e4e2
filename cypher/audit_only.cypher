// audit_only.cypher
// 审计发现而巡察未发现 / audit-only findings
// Purpose: the 巡审 linkage — audit findings (made by $as_of) in units that
//   inspection has reached by $as_of (an assignment in a round started by
//   then, or a problem found by then), that corroborate (CORROBORATES, 印证)
//   no inspection problem found by $as_of: what the audit found and the
//   inspection missed, as `linkgraph audit --only audit_only`. CORROBORATES
//   edges are computed on the whole ledger at push time (`[audit]` rules),
//   so with an $as_of before the last problem a finding whose match came
//   later counts here.
// Parameters:
//   $as_of  date  today  judge as of this date
// Returns: finding_id, unit_id, unit_name, category, description, amount,
//   audit_date — one row per finding, by finding_id.
MATCH (f:AuditFinding)-[:AUDITS]->(u:Unit)
WHERE NOT coalesce(f.audit_date > $as_of, false)
  AND NOT EXISTS {
    MATCH (f)-[:CORROBORATES]->(p:Problem)
    WHERE NOT coalesce(p.found_date > $as_of, false)
  }
  AND (EXISTS {
         MATCH (:Team)-[a:INSPECTS]->(u)
         OPTIONAL MATCH (r:Round {id: a.round_id})
         WITH r WHERE NOT coalesce(r.start > $as_of, false)
         RETURN 1
       }
       OR EXISTS {
         MATCH (p:Problem)-[:FOUND_IN]->(u)
         WHERE NOT coalesce(p.found_date > $as_of, false)
         OPTIONAL MATCH (r:Round {id: p.round_id})
         WITH p, r WHERE p.round_id IS NULL OR NOT coalesce(r.start > $as_of, false)
         RETURN 1
       })
RETURN f.id AS finding_id, u.id AS unit_id, u.name AS unit_name, f.category AS category,
       f.description AS description, f.amount AS amount, f.audit_date AS audit_date
ORDER BY finding_id
