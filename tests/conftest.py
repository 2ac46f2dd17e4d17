import os

# The upgrade check runs only on the database the upgrade test prepared
# (`bash scripts/dm.sh test` sets DM_UPGRADE_SNAPSHOT), never on dm_test.
collect_ignore = [] if os.environ.get("DM_UPGRADE_SNAPSHOT") else ["test_upgrade.py"]
