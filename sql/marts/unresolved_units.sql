-- Unit names an analyst should look at, one row per city x printed name whose
-- match rule is in unit_review_rules (written at every build from
-- units.identity.REVIEW_RULES). With where each was seen and its best catalog
-- candidates and scores (unit_candidates, refreshed by `tongbao units --apply`).
-- Confirm or correct a name with a line in aliases.csv (docs/units.md).
with unresolved_seen as (
    select city, unit_raw, unit_name, unit_function, unit_kind, match_rule,
           bulletin_id, period_year, period_quarter, 'table ' || table_index as seen_as
    from unit_metrics
    union all
    select city, unit_raw, unit_name, unit_function, unit_kind, match_rule,
           bulletin_id, period_year, period_quarter, 'prose' as seen_as
    from unit_findings
),
unresolved_names as (
    select
        s.city,
        s.unit_raw,
        any_value(s.unit_name) as unit_name,
        any_value(s.unit_function) as unit_function,
        any_value(s.unit_kind) as unit_kind,
        string_agg(distinct s.match_rule, ', ') as match_rule,
        count(distinct s.bulletin_id) as bulletins,
        count(*) as rows,
        string_agg(distinct s.period_year || coalesce('Q' || s.period_quarter, ''), ', ') as periods,
        string_agg(distinct s.seen_as, ', ') as seen_as,
        string_agg(distinct b.source_file, ' | ') as source_files
    from unresolved_seen as s
    left join bulletins as b using (bulletin_id)
    where s.match_rule in (select match_rule from unit_review_rules)
    group by s.city, s.unit_raw
),
unresolved_candidates as (
    select
        city,
        unit_raw,
        max(score) as best_score,
        string_agg(coalesce(candidate_code, '?') || ' ' || candidate_name || ' ' || printf('%.1f', score), '; ' order by rank) as candidates
    from unit_candidates
    group by city, unit_raw
)
select
    n.city,
    n.unit_raw,
    n.unit_name,
    n.unit_function,
    n.unit_kind,
    n.match_rule,
    c.best_score,
    c.candidates,
    n.bulletins,
    n.rows,
    n.periods,
    n.seen_as,
    n.source_files
from unresolved_names as n
left join unresolved_candidates as c
    on c.city is not distinct from n.city and c.unit_raw = n.unit_raw
order by n.city, n.match_rule, n.unit_raw
