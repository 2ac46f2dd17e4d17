from . import dm_software_qualification_wizard
from . import dm_software_install_wizard
