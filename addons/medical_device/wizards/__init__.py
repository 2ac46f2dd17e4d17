from . import dm_approval_reject_wizard
