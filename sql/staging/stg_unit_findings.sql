-- One row per unit named in a bulletin's prose or annex list (零报送, 整改不及时 …).
select
    bulletin_id,
    city,
    period_year,
    period_quarter,
    period_year * 10 + period_quarter as period_key,
    unit_raw,
    unit_name,
    unit_function,
    unit_kind,
    finding
from unit_findings
