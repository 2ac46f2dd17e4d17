from . import qualification
from . import versions
