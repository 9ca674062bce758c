-- A unit cannot have more items adopted than it submitted in a period.
select city, period_year, period_quarter, unit_name, submitted, adopted, bulletin_ids
from unit_quarter
where adopted > submitted
