from . import dm_cyber_campaign
from . import dm_cyber_campaign_line
from . import dm_cyber_risk_factor
from . import dm_os_version
from . import dm_remote_agreement
from . import dm_remote_session
from . import maintenance_equipment
from . import res_config_settings
