-- materialized: table
-- One row per city x unit x quarter, from the unit's first listed quarter to the
-- city's last, gap quarters included: each metric with its change since the
-- previous quarter (_qoq) and the same quarter a year before (_yoy), the rank
-- change, and the run of consecutive quarters with zero submissions.
-- A change is NULL when either quarter has no figure: a gap is never bridged.
-- rank_percentile places a rank within the ranking it was printed in (its table
-- and group): (ranked - rank) / (ranked - 1), 1 = first, 0 = last, so quarters
-- whose tables rank 35 units and 7 units compare; ranked = the units ranked
-- there (or the largest printed rank, if larger: a table printing only the top).
with listed as (
    select *, period_year * 4 + period_quarter - 1 as period_index
    from unit_quarter
    where period_quarter is not null
),
rank_rows as (
    select city, period_index, unit_name, value as rank,
           greatest(count(*) over ranking, max(value) over ranking)::integer as ranked_in_table
    from stg_unit_metrics
    where metric = 'rank' and value is not null and period_quarter is not null
    window ranking as (partition by bulletin_id, table_index, unit_group)
),
rank_sizes as (
    select city, period_index, unit_name, arg_min(ranked_in_table, rank) as ranked_units
    from rank_rows
    group by city, period_index, unit_name
),
units as (
    select city, unit_name, min(period_index) as first_index,
           arg_max(unit_function, period_index) as unit_function,
           arg_max(unit_kind, period_index) as unit_kind,
           arg_max(unit_group, period_index) as unit_group
    from listed
    group by city, unit_name
),
spine as (
    select u.city, u.unit_name, u.unit_function, u.unit_kind, u.unit_group, u.first_index,
           p.period_year, p.period_quarter, p.period_key, p.period_index, p.is_gap
    from units as u
    join int_city_periods as p
        on p.city = u.city and p.period_quarter is not null and p.period_index >= u.first_index
),
filled as (
    select
        s.*,
        l.unit_name is not null as is_listed,
        l.submitted, l.adopted, l.adoption_rate, l.score, l.rank,
        l.updates, l.messages_received, l.messages_replied, l.reply_rate,
        r.ranked_units,
        case when r.ranked_units > 1 then (r.ranked_units - l.rank) / (r.ranked_units - 1)
             when r.ranked_units = 1 then 1.0 end as rank_percentile,
        max(case when coalesce(l.submitted, -1) <> 0 then s.period_index end) over (
            partition by s.city, s.unit_name order by s.period_index
            rows between unbounded preceding and current row
        ) as last_nonzero_index
    from spine as s
    left join listed as l
        on l.city = s.city and l.unit_name = s.unit_name and l.period_index = s.period_index
    left join rank_sizes as r
        on r.city = s.city and r.unit_name = s.unit_name and r.period_index = s.period_index
)
select
    city,
    unit_name,
    unit_function,
    unit_kind,
    unit_group,
    period_year,
    period_quarter,
    period_key,
    is_gap,
    is_listed,
    lag(is_gap) over w as previous_quarter_is_gap,
    submitted,
    submitted - lag(submitted) over w as submitted_qoq,
    submitted - lag(submitted, 4) over w as submitted_yoy,
    adopted,
    adopted - lag(adopted) over w as adopted_qoq,
    adopted - lag(adopted, 4) over w as adopted_yoy,
    adoption_rate,
    adoption_rate - lag(adoption_rate) over w as adoption_rate_qoq,
    adoption_rate - lag(adoption_rate, 4) over w as adoption_rate_yoy,
    score,
    score - lag(score) over w as score_qoq,
    score - lag(score, 4) over w as score_yoy,
    rank,
    lag(rank) over w as previous_rank,
    rank - lag(rank) over w as rank_change,
    rank - lag(rank, 4) over w as rank_change_yoy,
    updates,
    updates - lag(updates) over w as updates_qoq,
    updates - lag(updates, 4) over w as updates_yoy,
    messages_received,
    messages_received - lag(messages_received) over w as messages_received_qoq,
    messages_received - lag(messages_received, 4) over w as messages_received_yoy,
    messages_replied,
    messages_replied - lag(messages_replied) over w as messages_replied_qoq,
    messages_replied - lag(messages_replied, 4) over w as messages_replied_yoy,
    reply_rate,
    reply_rate - lag(reply_rate) over w as reply_rate_qoq,
    reply_rate - lag(reply_rate, 4) over w as reply_rate_yoy,
    (case when submitted = 0
          then period_index - coalesce(last_nonzero_index, first_index - 1)
          else 0 end)::integer as zero_submission_streak,
    ranked_units,
    rank_percentile,
    lag(rank_percentile) over w as previous_rank_percentile,
    rank_percentile - lag(rank_percentile) over w as rank_percentile_change
from filled
window w as (partition by city, unit_name order by period_index)
