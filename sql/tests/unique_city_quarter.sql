-- Keys unique: one city_quarter row per city and period.
select city, period_year, period_quarter, count(*) as rows
from city_quarter
group by all
having count(*) > 1
