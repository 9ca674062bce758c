-- One row per loaded unit figure, with the bulletin's lineage beside it.
-- Staging: renames nothing, filters nothing; marts build on this.
-- period_index counts quarters (year * 4 + quarter - 1) so "previous quarter" is index - 1.
select
    m.bulletin_id,
    m.table_index,
    m.row_index,
    m.city,
    m.period_year,
    m.period_quarter,
    m.period_year * 10 + m.period_quarter as period_key,
    m.period_year * 4 + m.period_quarter - 1 as period_index,
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
    -- the unit's plain figure (a code, the table's own period, no outlet): what marts compare
    (m.metric <> 'unmapped' and coalesce(m.scope, 'period') = 'period' and m.outlet is null) as headline
from unit_metrics as m
join bulletins as b using (bulletin_id)
