// systemic_clusters.cypher
// 共性问题：问题类别 × 系统 / systemic problems by category × sector
// Purpose: where a problem category is concentrated in a sector (行业性、
//   系统性问题): for each (category, sector) the units with such a problem,
//   the problems, and the lift = (share of the sector's problems in this
//   category) / (share of all problems in this category), with the
//   departments that supervise the category (who should own the fix).
//   Counts only; the statistical tests are `linkgraph clusters`.
//   Problems of units without a sector are left out.
// Parameters:
//   $min_units  int    3    at least this many units with the category in the sector
//   $min_lift   float  1.5  at least this lift
// Returns: category, sector, units, sector_units, problems, sector_problems,
//   category_problems, lift, dept_ids — by lift (highest first), category, sector.
MATCH (p:Problem)-[:FOUND_IN]->(u:Unit)
WHERE u.sector IS NOT NULL
WITH p.category AS category, u.sector AS sector, u.id AS unit_id, count(*) AS n
WITH category, sector, count(unit_id) AS units, sum(n) AS problems
WITH collect({category: category, sector: sector, units: units, problems: problems}) AS cells
WITH cells, reduce(t = 0, c IN cells | t + c.problems) AS total
UNWIND cells AS c
WITH c, total,
     reduce(s = 0, x IN cells | s + CASE WHEN x.sector = c.sector THEN x.problems ELSE 0 END)
       AS sector_problems,
     reduce(s = 0, x IN cells | s + CASE WHEN x.category = c.category THEN x.problems ELSE 0 END)
       AS category_problems
WITH c, sector_problems, category_problems,
     (toFloat(c.problems) / sector_problems) / (toFloat(category_problems) / total) AS lift
WHERE c.units >= $min_units AND lift >= $min_lift
CALL (c) {
  MATCH (s:Unit {sector: c.sector})
  RETURN count(s) AS sector_units
}
CALL (c) {
  OPTIONAL MATCH (d:Department)-[:SUPERVISES]->(:Category {id: c.category})
  WITH d ORDER BY d.id
  RETURN collect(d.id) AS dept_ids
}
RETURN c.category AS category, c.sector AS sector, c.units AS units, sector_units,
       c.problems AS problems, sector_problems, category_problems,
       round(lift, 4) AS lift, dept_ids
ORDER BY lift DESC, category, sector
