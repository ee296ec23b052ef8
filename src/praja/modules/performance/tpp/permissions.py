"""Who may close a month, approve it, lock it and read results and signals.

The roles are P1's (praja.modules.performance.permissions); this app names the permissions it needs
and maps them onto those roles' permissions, so no new role is needed:
- computing and locking a month is BKPSDM's master-data work (`performance.manage_config`);
- approving the close is the head of BKPSDM's sign-off, with the second factor
  (`performance.approve_config`, role `performance_bkpsdm_head`);
- the tenant's results and the integrity signals: `performance.view_all` (BKPSDM, its head, the
  inspectorate); an office's results: `performance.view_unit` granted for that perangkat daerah;
- a supervisor sees the results of the holders of positions under theirs; everyone sees their own.
"""

from praja.modules.performance.permissions import APPROVE_CONFIG, MANAGE_CONFIG, VIEW_ALL, VIEW_UNIT

COMPUTE_CLOSE = MANAGE_CONFIG
APPROVE_CLOSE = APPROVE_CONFIG
LOCK_CLOSE = MANAGE_CONFIG
VIEW_TENANT_RESULTS = VIEW_ALL
VIEW_OFFICE_RESULTS = VIEW_UNIT
VIEW_SIGNALS = VIEW_ALL
