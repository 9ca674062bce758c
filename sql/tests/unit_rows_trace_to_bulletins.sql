-- Every unit row is traceable to a loaded bulletin (unit_metrics and the unit_quarter mart).
select 'unit_metrics' as source, bulletin_id, city, unit_name, period_year, period_quarter
from unit_metrics
where bulletin_id is null or bulletin_id not in (select bulletin_id from bulletins)
union all
select 'unit_quarter', bulletin_ids, city, unit_name, period_year, period_quarter
from unit_quarter
where bulletin_ids is null
   or exists (
       select 1 from unnest(string_split(bulletin_ids, ',')) as ids(id)
       where ids.id not in (select bulletin_id from bulletins)
   )
