-- Ranks consistent with scores within a table (and group): a higher score never
-- has a worse rank. Equal scores may share a rank or not (ties allowed).
with per_score as (
    select
        bulletin_id, table_index, unit_group, score,
        min(rank) as best_rank,
        max(rank) as worst_rank,
        string_agg(unit_raw, '、' order by unit_raw) as units
    from (
        select bulletin_id, table_index, row_index, unit_raw, any_value(unit_group) as unit_group,
               max(value) filter (where metric = 'score') as score,
               max(value) filter (where metric = 'rank') as rank
        from unit_metrics
        where metric in ('score', 'rank') and coalesce(scope, 'period') = 'period' and outlet is null
        group by bulletin_id, table_index, row_index, unit_raw
    ) as unit_rows
    where score is not null and rank is not null
    group by bulletin_id, table_index, unit_group, score
),
ordered as (
    select *,
           max(worst_rank) over (
               partition by bulletin_id, table_index, unit_group order by score desc
               rows between unbounded preceding and 1 preceding
           ) as worst_rank_of_higher_scores
    from per_score
)
select bulletin_id, table_index, unit_group, score, best_rank, worst_rank_of_higher_scores, units
from ordered
where best_rank <= worst_rank_of_higher_scores
