-- A unit cannot have replied to more letters than it received in a period.
select city, period_year, period_quarter, unit_name, messages_received, messages_replied, bulletin_ids
from unit_quarter
where messages_replied > messages_received
