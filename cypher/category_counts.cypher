// category_counts.cypher
// 问题类别归并统计 / problems by harmonised category
// Purpose: how many problems (and units) each harmonised category holds, with
//   the taxonomy's levels above it — branch (党的领导 / 党的建设 / 全面从严治党)
//   and area (四个聚焦) — and the labels the teams wrote for it, as
//   `linkgraph categories` harmonises them. A label the taxonomy could not
//   place stays a category of its own, without area or branch.
//   $branch narrows to one branch (null = all).
// Parameters:
//   $branch  string  null  only the categories of this branch (level 1 name); null = all
// Returns: branch, area, category, problems, units, written (the labels as
//   written, sorted) — by branch, area, category.
MATCH (p:Problem)-[:OF_CATEGORY]->(c:Category)
WHERE $branch IS NULL OR c.category_branch = $branch
OPTIONAL MATCH (p)-[:FOUND_IN]->(u:Unit)
WITH c, p, u, coalesce(p.category_written, p.category) AS label
ORDER BY label
WITH c, count(DISTINCT p) AS problems, count(DISTINCT u) AS units,
     collect(DISTINCT label) AS written
RETURN c.category_branch AS branch, c.category_area AS area, c.name AS category,
       problems, units, written
ORDER BY branch, area, category
