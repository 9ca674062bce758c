-- Keys unique: one unit_trend row per city, unit and quarter.
select city, unit_name, period_year, period_quarter, count(*) as rows
from unit_trend
group by all
having count(*) > 1
