-- materialized: table
-- Checks of a bulletin's prose against its own tables, recorded rather than raised.
-- One row per check: what the document states (expected), what tongbao found,
-- whether they agree (NULL when there is nothing to compare against), and where.
with headline_metrics as (
    -- each unit's plain figure: qualified (scope, outlet) and unmapped figures are not summed
    select * from unit_metrics where metric <> 'unmapped' and coalesce(scope, 'period') = 'period' and outlet is null
),
stated_total_metric(statistic, metric) as (
    values
        ('info_submitted_total', 'submitted'),
        ('info_adopted_total', 'adopted'),
        ('messages_received_total', 'messages_received'),
        ('messages_replied_total', 'messages_replied')
),
stated_count_finding(statistic, finding) as (
    values
        ('zero_report_units', 'zero_report'),
        ('rectification_overdue_units', 'rectification_overdue'),
        ('interview_missing_units', 'interview_missing')
),
table_sums as (
    select bulletin_id, period_year, period_quarter, metric, sum(value) as total
    from headline_metrics
    group by bulletin_id, period_year, period_quarter, metric
),
stated_totals as (
    select
        s.bulletin_id, s.city, s.period_year, s.period_quarter,
        'stated_total:' || s.statistic as check_name,
        s.value as expected,
        t.total as found,
        case when t.total is null then null else abs(s.value - t.total) < 0.5 end as agrees,
        'prose ' || coalesce(nullif(concat_ws(', ', 'line ' || s.source_line, 'page ' || s.source_page, 'paragraph ' || s.source_block), ''), 'position unknown') as location,
        'sum of ' || m.metric || ' over the tables for this period; ' || s.sentence as detail
    from bulletin_statistics as s
    join stated_total_metric as m using (statistic)
    left join table_sums as t
        on t.bulletin_id = s.bulletin_id and t.metric = m.metric
        and t.period_year is not distinct from s.period_year
        and t.period_quarter is not distinct from s.period_quarter
),
column_sums as (
    select bulletin_id, table_index, metric, sum(value) as total,
           any_value(period_year) as period_year, any_value(period_quarter) as period_quarter
    from headline_metrics
    group by bulletin_id, table_index, metric
),
total_rows as (
    select
        tt.bulletin_id, b.city, c.period_year, c.period_quarter,
        'total_row:' || tt.metric as check_name,
        tt.value as expected,
        c.total as found,
        case when c.total is null or tt.value is null then null else abs(tt.value - c.total) < 0.5 end as agrees,
        'table ' || tt.table_index || coalesce(', line ' || tt.source_line, '') || coalesce(', page ' || tt.source_page, '') as location,
        'printed ' || tt.label_raw || ' row against the sum of its column' as detail
    from table_totals as tt
    join bulletins as b using (bulletin_id)
    left join column_sums as c using (bulletin_id, table_index, metric)
    where tt.metric <> 'reply_rate'
),
finding_counts as (
    select bulletin_id, period_year, period_quarter, finding, count(distinct unit_name) as named
    from unit_findings
    group by bulletin_id, period_year, period_quarter, finding
),
-- A count stated in the sentence that names its units (`对甲、乙等2个单位予以通报`) is
-- checked against that sentence's units; any other against all units of the finding.
sentence_counts as (
    select bulletin_id, sentence, finding, count(distinct unit_name) as named
    from unit_findings
    group by bulletin_id, sentence, finding
),
stated_counts as (
    select
        s.bulletin_id, s.city, s.period_year, s.period_quarter,
        'stated_count:' || f.finding as check_name,
        s.value as expected,
        coalesce(sc.named, f.named)::double as found,
        s.value = coalesce(sc.named, f.named) as agrees,
        'prose ' || coalesce(nullif(concat_ws(', ', 'line ' || s.source_line, 'page ' || s.source_page, 'paragraph ' || s.source_block), ''), 'position unknown') as location,
        'units named for ' || f.finding || case when sc.named is null then '' else ' in this sentence' end
            || '; ' || s.sentence as detail
    from bulletin_statistics as s
    join stated_count_finding as m using (statistic)
    join finding_counts as f
        on f.bulletin_id = s.bulletin_id and f.finding = m.finding
        and f.period_year is not distinct from s.period_year
        and f.period_quarter is not distinct from s.period_quarter
    left join sentence_counts as sc
        on sc.bulletin_id = s.bulletin_id and sc.finding = m.finding and sc.sentence = s.sentence
),
table_zero as (
    select distinct bulletin_id, period_year, period_quarter, unit_name
    from headline_metrics
    where metric = 'submitted' and value = 0
),
listed_zero as (
    select distinct bulletin_id, period_year, period_quarter, unit_name
    from unit_findings
    where finding = 'zero_report'
),
zero_lists as (
    select
        l.bulletin_id, b.city, l.period_year, l.period_quarter,
        'zero_report_list' as check_name,
        (select count(*) from table_zero z
          where z.bulletin_id = l.bulletin_id and z.period_year is not distinct from l.period_year
            and z.period_quarter is not distinct from l.period_quarter)::double as expected,
        count(*)::double as found,
        count(*) filter (where z.unit_name is null) = 0
          and count(*) = (select count(*) from table_zero z2
                          where z2.bulletin_id = l.bulletin_id and z2.period_year is not distinct from l.period_year
                            and z2.period_quarter is not distinct from l.period_quarter) as agrees,
        'unit_findings against units with 0 submitted in the tables' as location,
        coalesce('not zero in the tables: ' || string_agg(l.unit_name, '、') filter (where z.unit_name is null), 'same units') as detail
    from listed_zero as l
    join bulletins as b using (bulletin_id)
    left join table_zero as z
        on z.bulletin_id = l.bulletin_id and z.unit_name = l.unit_name
        and z.period_year is not distinct from l.period_year
        and z.period_quarter is not distinct from l.period_quarter
    where exists (select 1 from headline_metrics m where m.bulletin_id = l.bulletin_id and m.metric = 'submitted')
    group by l.bulletin_id, b.city, l.period_year, l.period_quarter
),
stated_rates as (
    select
        r.bulletin_id, r.city, r.period_year, r.period_quarter,
        'stated_rate:reply_rate' as check_name,
        rep.value / nullif(rec.value, 0) as expected,
        r.value as found,
        abs(r.value - rep.value / nullif(rec.value, 0)) < 0.005 as agrees,
        'prose ' || coalesce(nullif(concat_ws(', ', 'line ' || r.source_line, 'page ' || r.source_page, 'paragraph ' || r.source_block), ''), 'position unknown') as location,
        'stated reply rate against stated replied / received; ' || r.sentence as detail
    from bulletin_statistics as r
    join bulletin_statistics as rec
        on rec.bulletin_id = r.bulletin_id and rec.statistic = 'messages_received_total'
        and rec.period_year is not distinct from r.period_year and rec.period_quarter is not distinct from r.period_quarter
    join bulletin_statistics as rep
        on rep.bulletin_id = r.bulletin_id and rep.statistic = 'messages_replied_total'
        and rep.period_year is not distinct from r.period_year and rep.period_quarter is not distinct from r.period_quarter
    where r.statistic = 'reply_rate'
),
unit_rates as (
    select
        bulletin_id, any_value(city) as city, any_value(period_year) as period_year, any_value(period_quarter) as period_quarter,
        'unit_rates:reply_rate' as check_name,
        0.0 as expected,
        count(*) filter (where abs(rate - replied / nullif(received, 0)) >= 0.005)::double as found,
        count(*) filter (where abs(rate - replied / nullif(received, 0)) >= 0.005) = 0 as agrees,
        'table ' || table_index as location,
        'units whose printed reply rate differs from replied / received: '
            || coalesce(string_agg(unit_raw, '、') filter (where abs(rate - replied / nullif(received, 0)) >= 0.005), 'none') as detail
    from (
        select bulletin_id, table_index, city, period_year, period_quarter, unit_raw,
               max(value) filter (where metric = 'reply_rate') as rate,
               max(value) filter (where metric = 'messages_replied') as replied,
               max(value) filter (where metric = 'messages_received') as received
        from headline_metrics
        group by bulletin_id, table_index, city, period_year, period_quarter, unit_raw, row_index
    ) as per_unit
    where rate is not null and received is not null and replied is not null
    group by bulletin_id, table_index
),
copies_agree as (
    -- every copy of a bulletin against its canonical copy, cell for cell (model copy_disagreements)
    select b.bulletin_id, b.city, b.period_year, b.period_quarter,
           'copies_agree:' || c.format as check_name,
           0::double as expected,
           count(d.copy_id)::double as found,
           count(d.copy_id) = 0 as agrees,
           c.source_file as location,
           coalesce(string_agg(d.detail, '; ' order by d.canonical_table, d.canonical_row, d.copy_table, d.copy_row),
                    'all ' || c.facts::varchar || ' cells agree') as detail
    from bulletin_copies c
    join bulletins b on b.bulletin_id = c.bulletin_id
    left join copy_disagreements d on d.copy_id = c.copy_id
    where not c.is_canonical
    group by b.bulletin_id, b.city, b.period_year, b.period_quarter, c.format, c.source_file, c.copy_id, c.facts
)
,
unit_rank_score as (
    select bulletin_id, table_index, row_index, unit_raw,
           any_value(city) as city, any_value(period_year) as period_year, any_value(period_quarter) as period_quarter,
           any_value(unit_group) as unit_group,
           max(value) filter (where metric = 'score') as score,
           max(value) filter (where metric = 'rank') as rank
    from unit_metrics
    where metric in ('score', 'rank')
    group by bulletin_id, table_index, row_index, unit_raw
),
rank_contradictions as (
    -- A unit ranked below one with a lower score, within its table and group
    -- (ties may share a rank or not).
    select r.*,
           exists (
               select 1 from unit_rank_score as o
               where o.bulletin_id = r.bulletin_id and o.table_index = r.table_index
                 and o.unit_group is not distinct from r.unit_group
                 and o.score < r.score and o.rank < r.rank
           ) as contradicts
    from unit_rank_score as r
    where r.score is not null and r.rank is not null
),
rank_orders as (
    select
        bulletin_id, any_value(city) as city, any_value(period_year) as period_year, any_value(period_quarter) as period_quarter,
        'rank_order:score' as check_name,
        0.0 as expected,
        count(*) filter (where contradicts)::double as found,
        count(*) filter (where contradicts) = 0 as agrees,
        'table ' || table_index as location,
        'units ranked below a unit with a lower score: '
            || coalesce(string_agg(unit_raw || ' (rank ' || rank::bigint || ', score ' || score || ')', '、' order by row_index)
                        filter (where contradicts), 'none') as detail
    from rank_contradictions
    group by bulletin_id, table_index
)
select * from stated_totals
union all select * from copies_agree
union all select * from total_rows
union all select * from stated_counts
union all select * from zero_lists
union all select * from stated_rates
union all select * from unit_rates
union all select * from rank_orders
