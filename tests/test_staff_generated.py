"""``staff`` on generated ledgers: the generator's pool plants hard conflicts
(officials of target units, cadres seconded from one) and none may reach a
roster; the conflict engine finds every one of them."""
from __future__ import annotations

import json

import pytest

from linkgraph.dataset import load_dataset
from linkgraph.staffing.plan import round_targets
from linkgraph.staffing.problem import build_problem, team_slots
from linkgraph.staffing.rules import load_staffing_rules


@pytest.fixture(scope="module", params=[2, 5])
def staffed(request, generated):
    from click.testing import CliRunner

    from linkgraph.cli import cli

    out = generated(250, request.param)   # the session's (tests/conftest.py)
    truth = json.loads((out / "truth.json").read_text("utf-8"))["staffing"]
    done = CliRunner().invoke(cli, ["staff", str(out), "--round", truth["round_id"],
                                    "--format", "json"])
    assert done.exit_code == 0, done.output
    return out, truth, json.loads(done.stdout)


def test_no_planted_hard_conflict_reaches_a_roster(staffed):
    data, truth, doc = staffed
    tables = load_dataset(data).tables
    pairs, _ = round_targets(tables, truth["round_id"])
    team_of = {m["person_id"]: m["team_id"] for m in doc["members"]}
    assert truth["planted_hard"], "the generator planted nothing"
    for plant in truth["planted_hard"]:
        team = team_of.get(plant["person_id"])
        assert team is None or plant["unit_id"] not in pairs[team], plant
    assert doc["optimal"] and set(t for t in pairs) == set(team_of.values())


def test_the_engine_flags_every_planted_conflict(staffed):
    data, truth, _ = staffed
    tables = load_dataset(data).tables
    pairs, names = round_targets(tables, truth["round_id"])
    rules = load_staffing_rules()
    prob = build_problem(tables, truth["round_id"], team_slots(tables, pairs, rules, names),
                         rules)
    index = {p.person_id: k for k, p in enumerate(prob.persons)}
    for plant in truth["planted_hard"]:
        p = index[plant["person_id"]]
        for t, team in enumerate(prob.teams):
            if plant["unit_id"] in team.unit_ids:
                assert (p, t) in prob.hard, plant


def test_rotate_with_staff_plans_regions_and_rosters_in_one_go(staffed, tmp_path):
    from click.testing import CliRunner

    from linkgraph.cli import cli

    data, truth, _ = staffed
    done = CliRunner().invoke(cli, ["rotate", str(data), "--round", truth["round_id"], "--staff",
                                    "--max-swaps", "3",
                                    "--format", "json"])
    assert done.exit_code == 0, done.output
    doc = json.loads(done.stdout)
    units = {p["team_id"]: set(p["unit_ids"]) for p in doc["pairs"]}
    members = doc["roster"]["members"]
    assert {m["team_id"] for m in members} == set(units)
    for plant in truth["planted_hard"]:
        for m in members:
            assert not (m["person_id"] == plant["person_id"]
                        and plant["unit_id"] in units[m["team_id"]]), plant
    # two steps: the plan's JSON as --from-rotation gives the same rosters
    plan = tmp_path / "plan.json"
    plan.write_text(done.stdout, "utf-8")
    again = CliRunner().invoke(cli, ["staff", str(data), "--from-rotation", str(plan),
                                     "--format", "json"])
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["members"] == members
