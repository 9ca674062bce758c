-- Printed column headers an analyst should map, one row per header: figures that
-- reached unit_metrics as `unmapped` (their column's header has no code yet), with
-- how many bulletins and cells print it, example values, the cities, and the
-- closest vocabulary code (vocabulary_candidates, rapidfuzz). Map a header with a
-- line `header_raw,metric,scope,outlet` in vocabulary.csv, then `tongbao vocab --apply`.
with unmapped as (
    select header_raw, bulletin_id, table_index, city, value_raw
    from unit_metrics
    where metric = 'unmapped'
),
by_header as (
    select
        header_raw,
        count(distinct bulletin_id) as bulletins,
        count(distinct bulletin_id || ':' || table_index) as tables,
        count(*) as cells,
        array_to_string(list_slice(list_sort(list_distinct(list(value_raw))), 1, 5), ' | ') as example_values,
        string_agg(distinct city, ', ' order by city) as cities
    from unmapped
    group by header_raw
),
best as (
    select text as header_raw, candidate_code, candidate_text, score
    from vocabulary_candidates
    where kind = 'header' and rank = 1
)
select
    h.header_raw,
    h.bulletins,
    h.tables,
    h.cells,
    h.example_values,
    h.cities,
    b.candidate_code as suggested_code,
    b.candidate_text as suggested_from,
    b.score as suggestion_score
from by_header as h
left join best as b on b.header_raw = h.header_raw
order by h.cells desc, h.header_raw
