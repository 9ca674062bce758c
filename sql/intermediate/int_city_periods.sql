-- One row per city x quarter from the city's first to its last quarter with data
-- (unit figures, or a bulletin titled for that quarter), gap quarters included
-- (is_gap: no table gives unit figures for it), plus any whole-year periods a city reported.
-- The trend marts join to this so a missing quarter shows as a row, not a jump.
with quarters_seen as (
    select city, period_index, count(distinct bulletin_id) as bulletins
    from int_unit_metrics
    where headline and period_quarter is not null
    group by city, period_index
),
quarters_titled as (
    select city, period_index, count(*) as titled_bulletins
    from stg_bulletins
    where period_quarter is not null and city is not null
    group by city, period_index
),
bounds as (
    select city, min(period_index) as first_index, max(period_index) as last_index
    from (select city, period_index from quarters_seen union all select city, period_index from quarters_titled)
    group by city
),
spine as (
    select b.city, i.period_index
    from bounds as b, range(b.first_index, b.last_index + 1) as i(period_index)
),
quarterly as (
    select
        s.city,
        s.period_index // 4 as period_year,
        s.period_index % 4 + 1 as period_quarter,
        s.period_index,
        q.bulletins is null as is_gap,
        coalesce(q.bulletins, 0) as bulletins,
        coalesce(t.titled_bulletins, 0) as titled_bulletins
    from spine as s
    left join quarters_seen as q using (city, period_index)
    left join quarters_titled as t using (city, period_index)
),
yearly as (
    select city, period_year, null::integer as period_quarter, null::integer as period_index,
           false as is_gap, count(distinct bulletin_id) as bulletins, null::bigint as titled_bulletins
    from int_unit_metrics
    where headline and period_quarter is null and period_year is not null
    group by city, period_year
)
select city, period_year::integer as period_year, period_quarter::integer as period_quarter,
       (period_year * 10 + period_quarter)::integer as period_key, period_index::integer as period_index, is_gap, bulletins, titled_bulletins
from quarterly
union all
select city, period_year, period_quarter, null::integer, period_index, is_gap, bulletins, titled_bulletins
from yearly
