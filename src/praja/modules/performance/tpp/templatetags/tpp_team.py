"""`{% tpp_team_quadrant employees year month as team %}` for P1's team page."""

import datetime

from django import template

from praja.modules.performance.tpp import charts, rules, selectors
from praja.modules.performance.tpp.models import EmployeeMonthResult

register = template.Library()


@register.simple_tag
def tpp_team_quadrant(employees, year, month) -> dict:
    try:
        close = selectors.latest_close(datetime.date(int(year), int(month), 1))
    except (TypeError, ValueError):
        close = None
    if close is None:
        return {"close": None}
    ids = [employee.pk for employee in employees]
    results = EmployeeMonthResult.objects.filter(close=close, employee_id__in=ids).order_by("employee_name")
    labels = rules.quadrant_labels()
    rows = [
        {
            "name": row.employee_name,
            "productivity": row.productivity_percent,
            "discipline": row.discipline_percent,
            "quadrant": labels[rules.quadrant_of(row.productivity_percent, row.discipline_percent)],
        }
        for row in results
    ]
    points = [(float(r["productivity"]), float(r["discipline"]), r["name"]) for r in rows]
    return {
        "close": close,
        "rows": rows,
        "chart": charts.quadrant_svg(
            points, selectors.quadrant_counts(results), chart_id="tpp-team-quadrant"
        ),
    }
