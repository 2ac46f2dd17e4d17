from . import cyber_risk
