from . import dm_approval
from . import dm_approval_mixin
from . import dm_ce_transition_rule
from . import dm_pieu_level
from . import dm_reception
from . import maintenance_equipment
from . import maintenance_request
from . import res_config_settings
