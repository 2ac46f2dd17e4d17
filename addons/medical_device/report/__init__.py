from . import dm_criticality_report
