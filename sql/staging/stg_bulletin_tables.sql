-- One row per table found in a bulletin (bulletin_tables), with the period it covers.
select
    bulletin_id,
    table_index,
    caption,
    period_year,
    period_quarter,
    unit_rows
from bulletin_tables
