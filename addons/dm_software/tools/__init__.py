from . import qualification
from . import versions
from . import selections
from . import has_mapping
