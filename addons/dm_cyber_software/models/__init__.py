from . import dm_sbom
from . import dm_software_version
from . import maintenance_equipment
from . import dm_vulnerability
