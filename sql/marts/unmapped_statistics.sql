-- Figures stated in the prose with no statistic code yet (`statistic = 'other'`),
-- one row per printed label: how many bulletins and figures, example values and
-- sentences, the cities, and the closest statistic code (vocabulary_candidates,
-- rapidfuzz over the phrases of prose_patterns.csv). A new phrasing is a line there.
with other as (
    select label, bulletin_id, city, value, sentence
    from bulletin_statistics
    where statistic = 'other'
),
by_label as (
    select
        label,
        count(distinct bulletin_id) as bulletins,
        count(*) as figures,
        array_to_string(list_slice(list_sort(list_distinct(list(cast(value as varchar)))), 1, 5), ' | ') as example_values,
        any_value(sentence) as example_sentence,
        string_agg(distinct city, ', ' order by city) as cities
    from other
    group by label
),
best as (
    select text as label, candidate_code, candidate_text, score
    from vocabulary_candidates
    where kind = 'statistic' and rank = 1
)
select
    l.label,
    l.bulletins,
    l.figures,
    l.example_values,
    l.example_sentence,
    l.cities,
    b.candidate_code as suggested_code,
    b.candidate_text as suggested_from,
    b.score as suggestion_score
from by_label as l
left join best as b on b.label = l.label
order by l.figures desc, l.label
