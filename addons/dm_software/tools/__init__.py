from . import qualification
from . import qualification_messages
from . import versions
from . import selections
