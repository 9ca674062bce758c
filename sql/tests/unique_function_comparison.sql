-- Keys unique: one function_comparison row per function, period and city.
select unit_function, period_year, period_quarter, city, count(*) as rows
from function_comparison
group by all
having count(*) > 1
