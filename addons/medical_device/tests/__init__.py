from . import test_approval
from . import test_lifecycle
from . import test_pieu
from . import test_reception
from . import test_register
from . import test_regulatory
from . import test_tour_lifecycle
from . import test_udi
