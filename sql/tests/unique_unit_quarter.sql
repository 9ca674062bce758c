-- Keys unique: one unit_quarter row per city, unit and period.
select city, unit_name, period_year, period_quarter, count(*) as rows
from unit_quarter
group by all
having count(*) > 1
