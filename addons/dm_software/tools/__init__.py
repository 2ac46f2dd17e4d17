from . import qualification
from . import versions
from . import selections
