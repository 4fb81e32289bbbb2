# English pages keep the Vietnamese date forms (dd/mm/yyyy); only the number separators differ.
from chibo.formats.vi.formats import *  # noqa: F403

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
