"""Every write of the dossiers app, split by entity; import from `dossiers.services`."""

from dossiers.services.aggregates import (  # noqa: F401
    AGGREGATE_COLUMNS,
    aggregate_rows_import,
)
from dossiers.services.alerts import (  # noqa: F401
    dossiers_claim_apology_alerts,
    dossiers_claim_overdue_alerts,
)
from dossiers.services.dossiers import *  # noqa: F403
from dossiers.services.dossiers import _check_dossier  # noqa: F401
from dossiers.services.imports import (  # noqa: F401
    DOSSIER_COLUMNS,
    dossier_import_run,
    dossier_import_start,
    import_progress,
)
