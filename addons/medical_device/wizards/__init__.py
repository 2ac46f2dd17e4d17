from . import dm_approval_reject_wizard
from . import dm_vigilance_notice_import
