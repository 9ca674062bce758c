-- One row per city x unit x period: every metric side by side.
select
    city,
    period_year,
    period_quarter,
    unit_name,
    any_value(unit_function) as unit_function,
    any_value(unit_kind) as unit_kind,
    string_agg(distinct unit_group, ' / ') as unit_group,
    max(value) filter (where metric = 'submitted') as submitted,
    max(value) filter (where metric = 'adopted') as adopted,
    max(value) filter (where metric = 'score') as score,
    min(value) filter (where metric = 'rank') as rank,
    max(value) filter (where metric = 'updates') as updates,
    max(value) filter (where metric = 'messages_received') as messages_received,
    max(value) filter (where metric = 'messages_replied') as messages_replied,
    max(value) filter (where metric = 'reply_rate') as reply_rate,
    max(value) filter (where metric = 'adopted') / nullif(max(value) filter (where metric = 'submitted'), 0) as adoption_rate,
    string_agg(distinct bulletin_id, ',') as bulletin_ids
from stg_unit_metrics
group by city, period_year, period_quarter, unit_name
