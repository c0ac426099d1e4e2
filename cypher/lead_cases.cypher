// lead_cases.cypher
// 问题线索办理（件/人，按轮次） / leads, cases and people by round
// Purpose: the leads half of the 成果 paragraph, as `linkgraph results --by
//   round`: leads transferred by $as_of, 办结 (closed_date not after $as_of),
//   立案 件 (outcome 立案 / 处分 / 移送司法, or disposition 立案审查) and the
//   people counted in them. A lead's people are those it IMPLICATES (lead_people,
//   each with its own outcome where given) and its people not on the roster
//   (outside_people, 案外人); a lead without any has the one person it
//   INVOLVES. A person is in a case by their own outcome, else by the lead's;
//   处分 counts 处分 and 移送司法, 移送司法 only that.
// Parameters:
//   $as_of  date  today  judge as of this date
// Returns: round_id (null = leads without a round), round_name, leads, closed,
//   cases, case_people, sanctioned_people, judicial_people.
MATCH (l:Lead)
WHERE NOT coalesce(l.transfer_date > $as_of, false)
OPTIONAL MATCH (l)-[i:IMPLICATES]->(p:Person)
WITH l, collect(CASE WHEN p IS NULL THEN null
                     ELSE {who: p.id, outcome: i.outcome} END) AS listed
WITH l, listed + [k IN range(0, size(coalesce(l.outside_people, [])) - 1) |
                  {who: 'name:' + l.outside_people[k],
                   outcome: CASE WHEN coalesce(l.outside_outcomes[k], '') = '' THEN null
                                 ELSE l.outside_outcomes[k] END}] AS named
OPTIONAL MATCH (l)-[:INVOLVES]->(q:Person)
WITH l, CASE WHEN size(named) > 0 THEN named
             WHEN q IS NULL THEN []
             ELSE [{who: q.id, outcome: null}] END AS people,
     coalesce(l.outcome IN ['case_filed', 'sanctioned', 'judicial'], false)
       OR coalesce(l.disposition = 'investigate', false) AS is_case
WITH l, is_case,
     reduce(acc = [], x IN people |
            CASE WHEN x.who IN [y IN acc | y.who] THEN acc ELSE acc + [x] END) AS people
WITH l, is_case,
     size([x IN people WHERE CASE WHEN x.outcome IS NULL THEN is_case
                                  ELSE x.outcome IN ['case_filed', 'sanctioned', 'judicial']
                             END]) AS case_people,
     size([x IN people WHERE coalesce(x.outcome, l.outcome) IN ['sanctioned', 'judicial']])
       AS sanctioned_people,
     size([x IN people WHERE coalesce(x.outcome, l.outcome) = 'judicial']) AS judicial_people
OPTIONAL MATCH (l)-[:IN_ROUND]->(r:Round)
WITH l.round_id AS round_id, r.name AS round_name, count(*) AS leads,
     sum(CASE WHEN coalesce(l.closed_date <= $as_of, false) THEN 1 ELSE 0 END) AS closed,
     sum(CASE WHEN is_case THEN 1 ELSE 0 END) AS cases,
     sum(case_people) AS case_people, sum(sanctioned_people) AS sanctioned_people,
     sum(judicial_people) AS judicial_people
RETURN round_id, round_name, leads, closed, cases, case_people, sanctioned_people,
       judicial_people
ORDER BY round_id
