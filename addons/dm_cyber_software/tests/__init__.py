from . import test_sbom_software
