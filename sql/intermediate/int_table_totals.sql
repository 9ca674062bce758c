-- One row per printed total (合计/总计/小计 …) and metric, with the table's period and the bulletin's city.
select
    t.bulletin_id,
    t.table_index,
    b.city,
    coalesce(bt.period_year, b.period_year) as period_year,
    case when bt.period_year is null then b.period_quarter else bt.period_quarter end as period_quarter,
    t.label_raw,
    t.is_subtotal,
    t.metric,
    t.value
from stg_table_totals as t
join stg_bulletins as b using (bulletin_id)
left join stg_bulletin_tables as bt using (bulletin_id, table_index)
