from . import cyber_risk
from . import erasure
from . import fleet_import_cyber
from . import read_error
from . import vuln_match
from . import sbom
from . import advisories
from . import mds2
