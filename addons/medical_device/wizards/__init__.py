from . import dm_approval_reject_wizard
from . import dm_eudamed_lookup_wizard
from . import dm_eudamed_lookup_line
from . import dm_vigilance_notice_import
