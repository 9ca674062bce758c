-- One row per loaded bulletin: the fields the marts need, with period keys.
select
    bulletin_id,
    city,
    issuer,
    title,
    published_date,
    period_year,
    period_quarter,
    period_year * 10 + period_quarter as period_key,
    period_year * 4 + period_quarter - 1 as period_index,
    format,
    source_file
from bulletins
