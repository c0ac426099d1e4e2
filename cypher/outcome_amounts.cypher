// outcome_amounts.cypher
// 巡察成果（制度、追缴、挽回、追责，按轮次） / rules, amounts and accountability by round
// Purpose: the figures half of the 成果 paragraph, as `linkgraph results --by
//   round`: of the Result nodes dated by $as_of (or undated), 新建制度 and
//   修订制度 (rules = both), 追缴（退回）资金 and 挽回损失 in 元 (a 万元 header was
//   scaled on load), and 追责问责 people (the count where given, else the people
//   listed). A result without a round takes its lead's.
// Parameters:
//   $as_of  date  today  judge as of this date
// Returns: round_id (null = results without a round), round_name, results,
//   rules_new, rules_revised, rules, recovered_amount, loss_recovered, accountable.
MATCH (c:Result)
WHERE NOT coalesce(c.date > $as_of, false)
OPTIONAL MATCH (c)-[:RESULT_OF]->(l:Lead)
WITH c, coalesce(c.round_id, l.round_id) AS round_id
OPTIONAL MATCH (r:Round {id: round_id})
WITH round_id, r.name AS round_name, count(c) AS results,
     sum(coalesce(c.rules_new, 0)) AS rules_new,
     sum(coalesce(c.rules_revised, 0)) AS rules_revised,
     sum(coalesce(c.recovered_amount, 0.0)) AS recovered,
     sum(coalesce(c.loss_recovered, 0.0)) AS loss,
     sum(coalesce(c.accountable, size(coalesce(c.person_ids, [])))) AS accountable
RETURN round_id, round_name, results, rules_new, rules_revised,
       rules_new + rules_revised AS rules, round(recovered, 2) AS recovered_amount,
       round(loss, 2) AS loss_recovered, accountable
ORDER BY round_id
