// overdue_leads.cypher
// 超期线索（按接收部门） / overdue leads by receiving department
// Purpose: the 室组办 linkage's time limits, as the ledger stood on $as_of —
//   as `linkgraph leads --summary --overdue`. A lead transferred by $as_of is
//   due on due_date, else transfer + $report_months months; it is overdue to
//   close when still open after that day or closed after it, and late to
//   receive (签收) when received (or, if not received, $as_of is) more than
//   $receipt_days days after transfer. Dates after $as_of count as not yet
//   happened.
// Parameters:
//   $as_of          date  today  judge every time limit as of this date
//   $report_months  int   3      months from transfer to report back when no due_date
//   $receipt_days   int   7      days from transfer to receipt (签收)
// Returns: dept_id, dept_name, leads, overdue, open_overdue, closed_overdue,
//   receipt_late, overdue_lead_ids (sorted) — one row per receiving department.
MATCH (l:Lead)
WHERE NOT coalesce(l.transfer_date > $as_of, false)
WITH l,
     CASE WHEN l.received_date <= $as_of THEN l.received_date END AS received,
     CASE WHEN l.closed_date <= $as_of THEN l.closed_date END AS closed,
     l.transfer_date + duration({days: $receipt_days}) AS receipt_due,
     coalesce(l.due_date, l.transfer_date + duration({months: $report_months})) AS due
WITH l,
     coalesce(CASE WHEN received IS NULL THEN $as_of > receipt_due
                   ELSE received > receipt_due END, false) AS receipt_late,
     closed IS NULL AND coalesce($as_of > due, false) AS open_late,
     closed IS NOT NULL AND coalesce(closed > due, false) AS closed_late
OPTIONAL MATCH (l)-[:TRANSFERRED_TO]->(d:Department)
WITH l.transferred_to AS dept_id, coalesce(d.name, l.transferred_to) AS dept_name, l,
     receipt_late, open_late, closed_late,
     receipt_late OR open_late OR closed_late AS overdue
ORDER BY l.id
RETURN dept_id, dept_name, count(l) AS leads,
       sum(CASE WHEN overdue THEN 1 ELSE 0 END) AS overdue,
       sum(CASE WHEN open_late THEN 1 ELSE 0 END) AS open_overdue,
       sum(CASE WHEN closed_late THEN 1 ELSE 0 END) AS closed_overdue,
       sum(CASE WHEN receipt_late THEN 1 ELSE 0 END) AS receipt_late,
       collect(CASE WHEN overdue THEN l.id END) AS overdue_lead_ids
ORDER BY dept_id
