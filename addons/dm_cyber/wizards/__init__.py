from . import dm_advisory_import
