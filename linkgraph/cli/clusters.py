"""``linkgraph clusters``: systemic problem clusters (共性问题)."""
from __future__ import annotations

import click

from linkgraph.cli.categories import category_options, load_category_options
from linkgraph.cli.options import NEEDS, emit, explain_empty, format_options, pass_dataset

TABLE_COLUMNS = ["cluster_id", "kind", "category", "n_units", "n_problems", "score", "p_value",
                 "dept_ids", "n_self_check", "label"]
KINDS = ("overrepresented", "near_duplicate", "profile")


@click.command()
@pass_dataset(needs=NEEDS["clusters"])
@category_options
@click.option("--min-units", type=click.IntRange(min=2),
              help="一个问题群至少涉及的单位数 / least number of units in a cluster "
              "([clusters] min_units)")
@click.option("--alpha", type=click.FloatRange(0, 1, min_open=True),
              help="显著性水平（BH 校正后）/ significance level after "
              "Benjamini–Hochberg correction ([clusters] alpha)")
@click.option("--min-lift", type=click.FloatRange(min=1),
              help="高发：至少为基准比例的倍数 / over-representation: least observed ÷ expected "
              "([clusters] min_lift)")
@click.option("--unit-alpha", type=click.FloatRange(0, 1, min_open=True),
              help="高发：单位自身超出的显著性 / over-representation: "
              "a unit's own excess, binomial tail ([clusters] unit_alpha)")
@click.option("--similarity", type=click.FloatRange(0, 1, min_open=True),
              help="雷同表述：最小余弦相似度 / near-duplicates: least cosine "
              "similarity (words, TF-IDF) between two units' specific items "
              "([clusters] similarity)")
@click.option("--max-common", type=click.FloatRange(0, 1),
              help="雷同表述：常用表述占比上限 / near-duplicates: an item is specific when at "
              "most this share of its n-grams are common across units ([clusters] max_common)")
@click.option("--common-min", type=click.IntRange(min=2),
              help="雷同表述：常用 n-gram 至少出现的单位数 / near-duplicates: an n-gram is common "
              "(routine wording) only when at least this many units use it "
              "([clusters] common_min; and [clusters] common_share of units)")
@click.option("--boilerplate-share", "boiler_share", type=click.FloatRange(0, 1, min_open=True),
              help="雷同表述：套话占单位比例 / near-duplicates: a clause written in at least "
              "this share of units is boilerplate, whatever its category "
              "([clusters] boiler_share; and [clusters] boiler_min units)")
@click.option("--profile-size", type=click.IntRange(2, 6),
              help="画像：共同偏高的问题类别数 / profiles: how many categories a profile "
              "combines ([clusters] profile_size)")
@click.option("--profile-ratio", type=click.FloatRange(min=1),
              help="画像：单位某类问题至少为其预期的倍数 / profiles: a unit's category is "
              "elevated at this many times its expected count ([clusters] profile_ratio; "
              "and [clusters] profile_min_count problems)")
@click.option("--kind", "kinds", type=click.Choice(KINDS), multiple=True,
              help="只运行某种检测（可重复）/ run only this detector (repeatable)")
@format_options()
def clusters(dataset, rules_path, taxonomy_path: str | None, decisions_path: str | None,
             kinds: tuple[str, ...], fmt: str | None, out: str | None,
             **thresholds: float | None) -> None:
    """共性问题：高发、雷同表述与画像相似的问题群 / systemic problem clusters.

    Finds problems that recur across many units three ways — a category
    over-represented in a sector or region (binomial tests on units and on
    problems, Benjamini–Hochberg correction), the same specific failing
    written in different words across units (character n-gram similarity of
    unusual wordings), and communities of units with the same combination of
    elevated categories — merged into one ranked list, each with the
    departments that should own the fix (dept_ids) and the not-yet-inspected
    units of the same sector or region that should self-check (未巡先改).
    A threshold not given as an option comes from the rules (the clusters
    section of linkgraph/data/rules.toml, overlaid by --rules FILE).

    \b
    Example:
      linkgraph clusters ledgers/ --min-units 6 --alpha 0.001 --out clusters.xlsx
    """
    from linkgraph.analysis.clusters import cluster_params, find_clusters
    from linkgraph.rules import load_rules

    params = cluster_params(load_rules(rules_path),
                            **{k: v for k, v in thresholds.items() if v is not None})
    explain_empty(dataset, "problems")
    taxonomy, decisions = load_category_options(taxonomy_path, decisions_path)
    found = find_clusters(dataset, params, kinds=kinds or KINDS, taxonomy=taxonomy,
                          decisions=decisions)
    click.echo(f"共性问题群 {len(found)} 个 / {len(found)} clusters", err=True)
    records = [c.as_record() for c in found]
    emit(records, fmt, out, columns=TABLE_COLUMNS if (fmt or "table") == "table" and not out
         else None)
