// rectification_rate.cypher
// 整改完成率（按轮次） / rectification completion rate by round
// Purpose: as `linkgraph rectification --by round`, as the ledger stood on
//   $as_of. A measure is completed when its status is done (已完成) or closed (已销号) and
//   its completed_date is not after $as_of, or ongoing (长期坚持) when
//   $ongoing_done. A problem found by $as_of is rectified when it has
//   measures and all are completed; one without any measure only if it was
//   fixed on the spot (immediate, 立行立改). rate = rectified / problems.
// Parameters:
//   $as_of         date  today  judge as of this date
//   $ongoing_done  bool  true   count ongoing (长期坚持/持续整改) measures as completed
// Returns: round_id (null = problems without a round), round_name, problems,
//   rectified, rate, measures, measures_done, reopened, no_measures.
MATCH (p:Problem)
WHERE NOT coalesce(p.found_date > $as_of, false)
OPTIONAL MATCH (m:Measure)-[:RECTIFIES]->(p)
WITH p, count(m) AS measures,
     sum(CASE WHEN (m.status IN ['done', 'closed'] AND NOT coalesce(m.completed_date > $as_of, false))
                   OR (m.status = 'ongoing' AND $ongoing_done) THEN 1 ELSE 0 END) AS done,
     sum(CASE WHEN m.reopened THEN 1 ELSE 0 END) AS reopened
WITH p.round_id AS round_id, measures, done, reopened,
     CASE WHEN measures = 0 THEN coalesce(p.immediate, false)
          ELSE done = measures END AS rectified
OPTIONAL MATCH (r:Round {id: round_id})
WITH round_id, r.name AS round_name, count(*) AS problems,
     sum(CASE WHEN rectified THEN 1 ELSE 0 END) AS rectified,
     sum(measures) AS measures, sum(done) AS measures_done, sum(reopened) AS reopened,
     sum(CASE WHEN measures = 0 THEN 1 ELSE 0 END) AS no_measures
RETURN round_id, round_name, problems, rectified,
       round(toFloat(rectified) / problems, 4) AS rate,
       measures, measures_done, reopened, no_measures
ORDER BY round_id
