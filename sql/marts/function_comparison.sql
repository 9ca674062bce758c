-- materialized: table
-- One row per department function x period x city: the same kind of department
-- (公安局, 教育局 …) side by side across cities, with each unit's percentile
-- among its own city's units of the same kind in that period, so cities that
-- report on different scales (or different metrics) compare fairly.
-- Percentile = percent_rank among the peers with a value: (rank - 1) / (peers with a value - 1),
-- 0 for the lowest, 1 for the highest, ties share; 0 when the unit is its only peer with a value.
with ranked as (
    select
        *,
        (rank() over peers_by_submitted - 1) / nullif(count(submitted) over peers - 1, 0) as submitted_percentile_raw,
        (rank() over peers_by_adopted - 1) / nullif(count(adopted) over peers - 1, 0) as adopted_percentile_raw,
        (rank() over peers_by_adoption_rate - 1) / nullif(count(adoption_rate) over peers - 1, 0) as adoption_rate_percentile_raw,
        (rank() over peers_by_score - 1) / nullif(count(score) over peers - 1, 0) as score_percentile_raw,
        (rank() over peers_by_updates - 1) / nullif(count(updates) over peers - 1, 0) as updates_percentile_raw,
        (rank() over peers_by_messages_received - 1) / nullif(count(messages_received) over peers - 1, 0) as messages_received_percentile_raw,
        (rank() over peers_by_reply_rate - 1) / nullif(count(reply_rate) over peers - 1, 0) as reply_rate_percentile_raw,
        count(*) over peers as peers_in_city
    from unit_quarter
    window peers as (partition by city, period_year, period_quarter, unit_kind),
        peers_by_submitted as (peers order by submitted nulls last),
        peers_by_adopted as (peers order by adopted nulls last),
        peers_by_adoption_rate as (peers order by adoption_rate nulls last),
        peers_by_score as (peers order by score nulls last),
        peers_by_updates as (peers order by updates nulls last),
        peers_by_messages_received as (peers order by messages_received nulls last),
        peers_by_reply_rate as (peers order by reply_rate nulls last)
)
select
    unit_function,
    period_year,
    period_quarter,
    period_key,
    city,
    unit_name,
    unit_kind,
    count(*) over (partition by unit_function, period_year, period_quarter) as cities_with_function,
    peers_in_city,
    submitted,
    case when submitted is not null then coalesce(submitted_percentile_raw, 0) end as submitted_percentile,
    adopted,
    case when adopted is not null then coalesce(adopted_percentile_raw, 0) end as adopted_percentile,
    adoption_rate,
    case when adoption_rate is not null then coalesce(adoption_rate_percentile_raw, 0) end as adoption_rate_percentile,
    score,
    case when score is not null then coalesce(score_percentile_raw, 0) end as score_percentile,
    rank,
    updates,
    case when updates is not null then coalesce(updates_percentile_raw, 0) end as updates_percentile,
    messages_received,
    case when messages_received is not null then coalesce(messages_received_percentile_raw, 0) end as messages_received_percentile,
    messages_replied,
    reply_rate,
    case when reply_rate is not null then coalesce(reply_rate_percentile_raw, 0) end as reply_rate_percentile,
    bulletin_ids
from ranked
where unit_function is not null
