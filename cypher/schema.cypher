// schema.cypher
// 约束与索引 / constraints and indexes of the linkgraph graph
// Purpose: one uniqueness constraint on `id` per label (MERGE and every
//   lookup by id use it), and indexes on the properties the cypher/ queries
//   filter on. `linkgraph neo4j push` runs this file first (alone:
//   `push --schema-only`, e.g. after `neo4j-admin database import`); safe to
//   run again (IF NOT EXISTS). Several statements, each ending with `;`.
// Parameters: none.
// Returns: nothing.
CREATE CONSTRAINT region_id IF NOT EXISTS FOR (n:Region) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT unit_id IF NOT EXISTS FOR (n:Unit) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT person_id IF NOT EXISTS FOR (n:Person) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT round_id IF NOT EXISTS FOR (n:Round) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT team_id IF NOT EXISTS FOR (n:Team) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT problem_id IF NOT EXISTS FOR (n:Problem) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT category_id IF NOT EXISTS FOR (n:Category) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT lead_id IF NOT EXISTS FOR (n:Lead) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT department_id IF NOT EXISTS FOR (n:Department) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT measure_id IF NOT EXISTS FOR (n:Measure) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT audit_finding_id IF NOT EXISTS FOR (n:AuditFinding) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT petition_id IF NOT EXISTS FOR (n:Petition) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT review_id IF NOT EXISTS FOR (n:Review) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT result_id IF NOT EXISTS FOR (n:Result) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT talk_id IF NOT EXISTS FOR (n:Talk) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT visit_id IF NOT EXISTS FOR (n:Visit) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT supervision_info_id IF NOT EXISTS FOR (n:SupervisionInfo) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT self_check_id IF NOT EXISTS FOR (n:SelfCheck) REQUIRE n.id IS UNIQUE;
CREATE INDEX unit_sector IF NOT EXISTS FOR (n:Unit) ON (n.sector);
CREATE INDEX person_name IF NOT EXISTS FOR (n:Person) ON (n.name);
CREATE INDEX unit_name IF NOT EXISTS FOR (n:Unit) ON (n.name);
