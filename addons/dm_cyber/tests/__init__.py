from . import test_campaign
from . import test_cyber_matrix
from . import test_disposal
from . import test_erasure_rules
from . import test_http_it_api
from . import test_remote_maintenance
from . import test_tour_cyber
from . import test_tour_disposal
