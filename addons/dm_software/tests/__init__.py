from . import test_ai_qc
from . import test_qualification
from . import test_qualification_rules
from . import test_reception
from . import test_register
from . import test_tour_software
from . import test_version
from . import test_versions
