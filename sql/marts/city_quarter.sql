-- materialized: table
-- One row per city x period (gap quarters included, with no units): units listed
-- and reporting zero, totals over the units, median and interquartile range per
-- metric, and the totals the bulletin printed (合计 rows) and stated in its prose
-- beside the totals computed from the unit rows. A gap (is_gap) is a quarter no
-- table gives unit figures for; gap_reason says whether a bulletin was titled for
-- it (its tables covering another period: tables_cover) or none was found, and
-- covered_by names the bulletins titled for another period whose tables cover this one.
with unit_stats as (
    select
        city, period_year, period_quarter,
        count(*) as units_listed,
        count(*) filter (where submitted = 0) as units_reporting_zero,
        sum(submitted) as submitted_total,
        sum(adopted) as adopted_total,
        sum(score) as score_total,
        sum(updates) as updates_total,
        sum(messages_received) as messages_received_total,
        sum(messages_replied) as messages_replied_total,
        median(submitted) as submitted_median,
        quantile_cont(submitted, 0.75) - quantile_cont(submitted, 0.25) as submitted_iqr,
        median(adopted) as adopted_median,
        quantile_cont(adopted, 0.75) - quantile_cont(adopted, 0.25) as adopted_iqr,
        median(adoption_rate) as adoption_rate_median,
        quantile_cont(adoption_rate, 0.75) - quantile_cont(adoption_rate, 0.25) as adoption_rate_iqr,
        median(score) as score_median,
        quantile_cont(score, 0.75) - quantile_cont(score, 0.25) as score_iqr,
        median(updates) as updates_median,
        quantile_cont(updates, 0.75) - quantile_cont(updates, 0.25) as updates_iqr,
        median(messages_received) as messages_received_median,
        quantile_cont(messages_received, 0.75) - quantile_cont(messages_received, 0.25) as messages_received_iqr,
        median(reply_rate) as reply_rate_median,
        quantile_cont(reply_rate, 0.75) - quantile_cont(reply_rate, 0.25) as reply_rate_iqr
    from unit_quarter
    group by city, period_year, period_quarter
),
printed_per_bulletin as (
    select bulletin_id, city, period_year, period_quarter, metric, sum(value) as value
    from int_table_totals
    where not is_subtotal
    group by bulletin_id, city, period_year, period_quarter, metric
),
printed as (
    select
        city, period_year, period_quarter,
        max(value) filter (where metric = 'submitted') as printed_submitted_total,
        max(value) filter (where metric = 'adopted') as printed_adopted_total,
        max(value) filter (where metric = 'messages_received') as printed_messages_received_total,
        max(value) filter (where metric = 'messages_replied') as printed_messages_replied_total
    from printed_per_bulletin
    group by city, period_year, period_quarter
),
stated as (
    select
        city, period_year, period_quarter,
        max(value) filter (where statistic = 'info_submitted_total') as stated_submitted_total,
        max(value) filter (where statistic = 'info_adopted_total') as stated_adopted_total,
        max(value) filter (where statistic = 'messages_received_total') as stated_messages_received_total,
        max(value) filter (where statistic = 'messages_replied_total') as stated_messages_replied_total,
        max(value) filter (where statistic = 'zero_report_units') as stated_zero_report_units
    from stg_bulletin_statistics
    group by city, period_year, period_quarter
),
named_zero as (
    select city, period_year, period_quarter, count(distinct unit_name) as zero_report_units_named
    from stg_unit_findings
    where finding = 'zero_report'
    group by city, period_year, period_quarter
),
table_periods as (
    select distinct bulletin_id, city, period_year, period_quarter from stg_unit_metrics
),
titled as (
    select b.city, b.period_year, b.period_quarter,
           string_agg(distinct t.period_year || coalesce('Q' || t.period_quarter, ''), ', ')
               filter (where t.period_year is distinct from b.period_year or t.period_quarter is distinct from b.period_quarter)
               as tables_cover
    from stg_bulletins as b
    left join table_periods as t on t.bulletin_id = b.bulletin_id
    group by b.city, b.period_year, b.period_quarter
),
covering as (
    select t.city, t.period_year, t.period_quarter,
           string_agg(distinct coalesce(b.title, '?') || ' (' || b.source_file || ')', ' | ') as covered_by
    from table_periods as t
    join stg_bulletins as b on b.bulletin_id = t.bulletin_id
    where b.period_year is distinct from t.period_year or b.period_quarter is distinct from t.period_quarter
    group by t.city, t.period_year, t.period_quarter
),
checks as (
    select
        city, period_year, period_quarter,
        count(*) as reconciliation_checks,
        count(*) filter (where not agrees) as reconciliation_disagreements
    from reconciliation
    group by city, period_year, period_quarter
)
select
    p.city,
    p.period_year,
    p.period_quarter,
    p.period_key,
    p.is_gap,
    p.bulletins,
    coalesce(u.units_listed, 0) as units_listed,
    coalesce(u.units_reporting_zero, 0) as units_reporting_zero,
    u.submitted_total,
    u.adopted_total,
    u.adopted_total / nullif(u.submitted_total, 0) as adoption_rate,
    u.score_total,
    u.updates_total,
    u.messages_received_total,
    u.messages_replied_total,
    u.messages_replied_total / nullif(u.messages_received_total, 0) as reply_rate,
    u.submitted_median, u.submitted_iqr,
    u.adopted_median, u.adopted_iqr,
    u.adoption_rate_median, u.adoption_rate_iqr,
    u.score_median, u.score_iqr,
    u.updates_median, u.updates_iqr,
    u.messages_received_median, u.messages_received_iqr,
    u.reply_rate_median, u.reply_rate_iqr,
    pr.printed_submitted_total,
    pr.printed_adopted_total,
    pr.printed_messages_received_total,
    pr.printed_messages_replied_total,
    s.stated_submitted_total,
    s.stated_adopted_total,
    s.stated_messages_received_total,
    s.stated_messages_replied_total,
    s.stated_zero_report_units,
    coalesce(z.zero_report_units_named, 0) as zero_report_units_named,
    coalesce(c.reconciliation_checks, 0) as reconciliation_checks,
    coalesce(c.reconciliation_disagreements, 0) as reconciliation_disagreements,
    p.titled_bulletins,
    case when not p.is_gap then null
         when p.titled_bulletins > 0 and ti.tables_cover is not null then 'tables_cover_other_period'
         when p.titled_bulletins > 0 then 'no_unit_tables'
         else 'no_bulletin' end as gap_reason,
    ti.tables_cover,
    cv.covered_by
from int_city_periods as p
left join unit_stats as u
    on u.city = p.city and u.period_year = p.period_year and u.period_quarter is not distinct from p.period_quarter
left join printed as pr
    on pr.city = p.city and pr.period_year = p.period_year and pr.period_quarter is not distinct from p.period_quarter
left join stated as s
    on s.city = p.city and s.period_year = p.period_year and s.period_quarter is not distinct from p.period_quarter
left join named_zero as z
    on z.city = p.city and z.period_year = p.period_year and z.period_quarter is not distinct from p.period_quarter
left join checks as c
    on c.city = p.city and c.period_year = p.period_year and c.period_quarter is not distinct from p.period_quarter
left join titled as ti
    on ti.city = p.city and ti.period_year = p.period_year and ti.period_quarter is not distinct from p.period_quarter
left join covering as cv
    on cv.city = p.city and cv.period_year = p.period_year and cv.period_quarter is not distinct from p.period_quarter
