-- One row per loaded unit figure (unit_metrics), with period keys for quarter arithmetic.
-- Staging: reads one loaded table, renames nothing, filters nothing; marts build on this.
-- period_index counts quarters (year * 4 + quarter - 1) so "previous quarter" is index - 1.
select
    bulletin_id,
    table_index,
    row_index,
    city,
    period_year,
    period_quarter,
    period_year * 10 + period_quarter as period_key,
    period_year * 4 + period_quarter - 1 as period_index,
    unit_group,
    unit_raw,
    unit_name,
    unit_function,
    unit_kind,
    metric,
    value,
    scope,
    outlet,
    header_raw,
    -- the unit's plain figure (a code, the table's own period, no outlet): what marts compare
    (metric <> 'unmapped' and coalesce(scope, 'period') = 'period' and outlet is null) as headline
from unit_metrics
