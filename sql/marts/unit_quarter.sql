-- materialized: table
-- One row per city x unit x period: every metric side by side, with the unit's
-- group, kind and function and the bulletins it came from. A unit printed in
-- several tables of one period (an updates table and a letters table) is one row.
-- Lists (groups, bulletins, printed names) are only assembled for the few units
-- that have more than one: string_agg(distinct) over every unit is the slow part.
with per_unit as (
    select
        city, period_year, period_quarter, unit_name,
        any_value(period_key) as period_key,
        any_value(unit_function) as unit_function,
        any_value(unit_kind) as unit_kind,
        min(unit_group) as min_group, max(unit_group) as max_group,
        min(bulletin_id) as min_bulletin, max(bulletin_id) as max_bulletin,
        min(unit_raw) as min_raw, max(unit_raw) as max_raw,
        max(value) filter (where metric = 'submitted') as submitted,
        max(value) filter (where metric = 'adopted') as adopted,
        max(value) filter (where metric = 'score') as score,
        min(value) filter (where metric = 'rank') as rank,
        max(value) filter (where metric = 'updates') as updates,
        max(value) filter (where metric = 'messages_received') as messages_received,
        max(value) filter (where metric = 'messages_replied') as messages_replied,
        max(value) filter (where metric = 'reply_rate') as reply_rate
    from int_unit_metrics
    where headline
    group by city, period_year, period_quarter, unit_name
),
several as (
    select m.city, m.period_year, m.period_quarter, m.unit_name,
           string_agg(distinct m.unit_group, ' / ' order by m.unit_group) as unit_group,
           string_agg(distinct m.bulletin_id, ',' order by m.bulletin_id) as bulletin_ids,
           string_agg(distinct m.unit_raw, ' / ' order by m.unit_raw) as unit_raw_names
    from (select * from int_unit_metrics where headline) as m
    semi join (select * from per_unit where min_group <> max_group or min_bulletin <> max_bulletin or min_raw <> max_raw) as p
        on p.city = m.city and p.unit_name = m.unit_name and p.period_year is not distinct from m.period_year
        and p.period_quarter is not distinct from m.period_quarter
    group by m.city, m.period_year, m.period_quarter, m.unit_name
)
select p.city, p.period_year, p.period_quarter, p.period_key, p.unit_name, p.unit_function, p.unit_kind,
       coalesce(s.unit_group, p.min_group) as unit_group,
       p.submitted, p.adopted, p.score, p.rank, p.updates, p.messages_received, p.messages_replied, p.reply_rate,
       p.adopted / nullif(p.submitted, 0) as adoption_rate,
       coalesce(s.bulletin_ids, p.min_bulletin) as bulletin_ids,
       coalesce(s.unit_raw_names, p.min_raw) as unit_raw_names
from per_unit as p
left join several as s
    on s.city = p.city and s.unit_name = p.unit_name and s.period_year is not distinct from p.period_year
    and s.period_quarter is not distinct from p.period_quarter
