-- One row per loaded unit figure, with its bulletin's lineage (format, source, date) beside it.
select
    m.bulletin_id,
    m.table_index,
    m.row_index,
    m.city,
    m.period_year,
    m.period_quarter,
    m.period_key,
    m.period_index,
    m.unit_group,
    m.unit_raw,
    m.unit_name,
    m.unit_function,
    m.unit_kind,
    m.metric,
    m.value,
    b.format,
    b.source_file,
    b.published_date,
    m.scope,
    m.outlet,
    m.header_raw,
    m.headline
from stg_unit_metrics as m
join stg_bulletins as b using (bulletin_id)
