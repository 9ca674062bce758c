-- One figure per cell: a unit has at most one figure per metric, scope and outlet in a table row
-- of a bulletin (two columns of one code differ in scope or outlet), and one per printed cell.
-- (The plain key of unit_metrics is checked by the generated unique_unit_metrics, from its Grain line.)
select bulletin_id, table_index, row_index, unit_raw, metric, scope, outlet, count(*) as rows
from unit_metrics
where metric <> 'unmapped'
group by all
having count(*) > 1
union all
select bulletin_id, table_index, row_index, unit_raw, 'col ' || col_index, null, null, count(*) as rows
from unit_metrics
where col_index is not null
group by all
having count(*) > 1
