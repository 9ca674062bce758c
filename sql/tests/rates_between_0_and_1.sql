-- Rates are fractions: adoption_rate and reply_rate lie in [0, 1].
select city, period_year, period_quarter, unit_name, adoption_rate, reply_rate, bulletin_ids
from unit_quarter
where adoption_rate not between 0 and 1
   or reply_rate not between 0 and 1
