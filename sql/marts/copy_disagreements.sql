-- Cell-for-cell comparison of every copy of a bulletin with its canonical copy
-- (see warehouse/copies.py). One row per cell that differs: printed in both with
-- different values, printed only in the canonical copy, or only in the other.
-- Cells pair up by period, group, unit, metric (with scope and outlet) and their
-- order of appearance (table, row, column).
with copies as (
    select bulletin_id, copy_id, format, source_file from bulletin_copies where not is_canonical
),
canonical_cells as (
    select c.copy_id, m.table_index, m.row_index, m.period_year, m.period_quarter, m.unit_group, m.unit_raw,
           m.unit_name, m.metric, m.header_raw, m.value, m.value_raw, m.source_line, m.source_page,
           m.scope, m.outlet, m.col_index
    from copies c join unit_metrics m on m.bulletin_id = c.bulletin_id
),
copy_cells_of as (
    select x.* from copy_cells x join copies c using (copy_id)
),
numbered_canonical as (
    select *, row_number() over (partition by copy_id, period_year, period_quarter, unit_group, unit_name, metric,
                                              scope, outlet
                                 order by table_index, row_index, col_index) as occurrence
    from canonical_cells
),
numbered_copy as (
    select *, row_number() over (partition by copy_id, period_year, period_quarter, unit_group, unit_name, metric,
                                              scope, outlet
                                 order by table_index, row_index, col_index) as occurrence
    from copy_cells_of
),
paired as (
    select coalesce(a.copy_id, b.copy_id) as copy_id,
           coalesce(a.period_year, b.period_year) as period_year,
           coalesce(a.period_quarter, b.period_quarter) as period_quarter,
           coalesce(a.unit_group, b.unit_group) as unit_group,
           coalesce(a.unit_name, b.unit_name) as unit_name,
           coalesce(a.metric, b.metric) as metric,
           a.table_index as canonical_table, a.row_index as canonical_row, a.unit_raw as canonical_unit_raw,
           a.header_raw as canonical_header, a.value as canonical_value, a.value_raw as canonical_value_raw,
           a.source_line as canonical_line, a.source_page as canonical_page,
           b.table_index as copy_table, b.row_index as copy_row, b.unit_raw as copy_unit_raw,
           b.header_raw as copy_header, b.value as copy_value, b.value_raw as copy_value_raw,
           b.source_line as copy_line, b.source_page as copy_page
    from numbered_canonical a
    full outer join numbered_copy b
      on a.copy_id = b.copy_id and a.metric = b.metric and a.unit_name = b.unit_name
     and a.occurrence = b.occurrence
     and a.period_year is not distinct from b.period_year and a.period_quarter is not distinct from b.period_quarter
     and a.unit_group is not distinct from b.unit_group
     and a.scope is not distinct from b.scope and a.outlet is not distinct from b.outlet
)
select c.bulletin_id, p.copy_id, c.format as copy_format, c.source_file as copy_source,
       b.city, p.period_year, p.period_quarter, p.unit_group, p.unit_name, p.metric,
       case when p.canonical_table is null then 'only_in_copy'
            when p.copy_table is null then 'only_in_canonical'
            else 'differs' end as disagreement,
       p.canonical_table, p.canonical_row, p.canonical_value_raw, p.canonical_value,
       p.copy_table, p.copy_row, p.copy_value_raw, p.copy_value,
       'table ' || coalesce(p.canonical_table, p.copy_table)::varchar
           || ', row ' || coalesce(p.canonical_row, p.copy_row)::varchar
           || ' (' || coalesce(p.canonical_unit_raw, p.copy_unit_raw) || ', '
           || coalesce(p.canonical_header, p.copy_header, p.metric) || '): '
           || b.format || ' prints ' || coalesce('''' || p.canonical_value_raw || '''', 'nothing')
           || ', ' || c.format || ' copy ' || c.source_file || ' prints '
           || coalesce('''' || p.copy_value_raw || '''', 'nothing') as detail
from paired p
join copies c on c.copy_id = p.copy_id
join bulletins b on b.bulletin_id = c.bulletin_id
where p.canonical_table is null or p.copy_table is null or p.canonical_value is distinct from p.copy_value
