-- A zero-submission streak counts only listed quarters with submitted = 0, and
-- grows by exactly one from the previous quarter.
select city, unit_name, period_year, period_quarter, submitted, zero_submission_streak, previous_streak
from (
    select *, lag(zero_submission_streak) over (partition by city, unit_name order by period_key) as previous_streak
    from unit_trend
) as t
where (zero_submission_streak > 0 and submitted is distinct from 0)
   or (zero_submission_streak > 1 and zero_submission_streak <> previous_streak + 1)
