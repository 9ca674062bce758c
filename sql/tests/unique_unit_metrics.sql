-- Keys unique: a unit has at most one figure per metric in a table row of a bulletin.
select bulletin_id, table_index, row_index, unit_raw, metric, count(*) as rows
from unit_metrics
group by all
having count(*) > 1
