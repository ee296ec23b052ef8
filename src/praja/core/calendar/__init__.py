"""Working days per tenant: weekends, national holidays and cuti bersama (the `holidays`
package), and the tenant's own days, all in the tenant's timezone.

Reads (``selectors``): ``is_working_day(tenant, day)``, ``add_working_days(tenant, start, n)``
(the end of the n-th working day after `start`), ``working_days_between(tenant, start, end)``,
``list_non_working_days(tenant, year)``, ``list_tenant_holidays(tenant, year=None)``.
Writers (``actions``, permission ``core.manage_calendar``, audited):
``add_tenant_holiday(actor=, date=, name=, kind=)`` and ``remove_tenant_holiday(actor=, date=)``.
Every SLA and legal deadline is computed with these, never with plain date arithmetic.
"""
