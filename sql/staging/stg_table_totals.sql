-- One row per printed total row (合计/总计/小计 …) and metric, as loaded (table_totals).
select
    bulletin_id,
    table_index,
    label_raw,
    starts_with(label_raw, '小计') as is_subtotal,
    metric,
    value
from table_totals
