from . import cyber_risk
from . import erasure
from . import fleet_import_cyber
