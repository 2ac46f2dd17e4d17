from . import test_ai_qc
from . import test_qualification
from . import test_reception
from . import test_register
from . import test_tools_qualification
from . import test_tools_versions
from . import test_tour_software
from . import test_version
