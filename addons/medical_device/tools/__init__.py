from . import pieu
from . import regulatory
from . import udi
from . import selections
from . import checklist
from . import reader_text
