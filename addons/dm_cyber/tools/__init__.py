from . import cyber_risk
from . import erasure
