-- One row per figure stated in a bulletin's prose (共报送信息…条, 零报送单位…家).
select
    bulletin_id,
    city,
    period_year,
    period_quarter,
    period_year * 10 + period_quarter as period_key,
    statistic,
    value
from bulletin_statistics
