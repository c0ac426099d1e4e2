// closure_by_round.cypher
// 整改完成与销号（按轮次） / rectification completed and closed (销号) by round
// Purpose: as `linkgraph results --by round`, as the ledger stood on $as_of:
//   problems found, completed and closed (销号), and their measures. A measure
//   is completed when its status is done (已完成) or closed (已销号) and its
//   completed_date is not after $as_of (ongoing 长期坚持 too when $ongoing_done);
//   a problem is completed when all its measures are (one without measures
//   only if fixed on the spot, 立行立改), and completed in the period when they
//   were by the round's end (feedback) + $report_months months. 销号 follows a
//   passed review only: when the database holds reviews (by $as_of), a measure
//   is closed when its latest closing review (subject closure, by review_date
//   then id) passed it, and a problem when all its measures are closed (unless
//   its own latest closing review sent it back) or its own passed; without any
//   review the status 已销号 is taken as written. unreviewed = measures written
//   已销号 that no passed review closes (listed, not counted).
// Parameters:
//   $as_of          date  today  judge as of this date
//   $ongoing_done   bool  true   count ongoing (长期坚持/持续整改) measures as completed
//   $report_months  int   3      the concentrated period: feedback + this many months
// Returns: round_id (null = problems without a round), round_name, problems,
//   completed_in_period, rate_in_period, completed, closed, measures,
//   measures_completed, measures_closed, measures_unreviewed.
CALL {
  MATCH (v:Review) WHERE NOT coalesce(v.review_date > $as_of, false)
  RETURN count(v) > 0 AS by_review
}
MATCH (p:Problem)
WHERE NOT coalesce(p.found_date > $as_of, false)
OPTIONAL MATCH (p)-[:IN_ROUND]->(r:Round)
WITH by_review, p, r,
     coalesce(r.end, p.found_date) + duration({months: $report_months}) AS period_end
OPTIONAL MATCH (m:Measure)-[:RECTIFIES]->(p)
OPTIONAL MATCH (v:Review {subject: 'closure'})-[:REVIEWS]->(m)
WHERE NOT coalesce(v.review_date > $as_of, false)
WITH by_review, p, r, period_end, m, v ORDER BY v.review_date, v.id
WITH by_review, p, r, period_end, m, collect(v.verdict) AS verdicts
WITH by_review, p, r, period_end, m,
     m IS NOT NULL AND ((m.status IN ['done', 'closed']
                         AND NOT coalesce(m.completed_date > $as_of, false))
                        OR (m.status = 'ongoing' AND $ongoing_done)) AS completed,
     m IS NOT NULL AND m.status = 'closed'
       AND NOT coalesce(m.completed_date > $as_of, false) AS written_closed,
     coalesce(verdicts[-1] = 'pass', false) AS passed
WITH by_review, p, r, count(m) AS measures,
     sum(CASE WHEN completed THEN 1 ELSE 0 END) AS done,
     sum(CASE WHEN completed AND NOT coalesce(m.completed_date > period_end, false)
              THEN 1 ELSE 0 END) AS done_in_period,
     sum(CASE WHEN (by_review AND passed) OR (NOT by_review AND written_closed)
              THEN 1 ELSE 0 END) AS closed_measures,
     sum(CASE WHEN by_review AND written_closed AND NOT passed THEN 1 ELSE 0 END)
       AS unreviewed
OPTIONAL MATCH (pv:Review {subject: 'closure'})-[:REVIEWS]->(p)
WHERE NOT coalesce(pv.review_date > $as_of, false)
WITH by_review, p, r, measures, done, done_in_period, closed_measures, unreviewed, pv
  ORDER BY pv.review_date, pv.id
WITH by_review, p, r, measures, done, done_in_period, closed_measures, unreviewed,
     collect(pv.verdict)[-1] AS own
WITH p.round_id AS round_id, r.name AS round_name, measures, done, closed_measures,
     unreviewed,
     CASE WHEN measures = 0 THEN coalesce(p.immediate, false)
          ELSE done = measures END AS completed,
     CASE WHEN measures = 0 THEN coalesce(p.immediate, false)
          ELSE done_in_period = measures END AS completed_in_period,
     (measures > 0 AND closed_measures = measures
        AND NOT (by_review AND coalesce(own IN ['rewrite', 'redo'], false)))
       OR (by_review AND coalesce(own = 'pass', false)) AS closed
WITH round_id, round_name, count(*) AS problems,
     sum(CASE WHEN completed_in_period THEN 1 ELSE 0 END) AS completed_in_period,
     sum(CASE WHEN completed THEN 1 ELSE 0 END) AS completed,
     sum(CASE WHEN closed THEN 1 ELSE 0 END) AS closed,
     sum(measures) AS measures, sum(done) AS measures_completed,
     sum(closed_measures) AS measures_closed, sum(unreviewed) AS measures_unreviewed
RETURN round_id, round_name, problems, completed_in_period,
       round(toFloat(completed_in_period) / problems, 4) AS rate_in_period,
       completed, closed, measures, measures_completed, measures_closed,
       measures_unreviewed
ORDER BY round_id
