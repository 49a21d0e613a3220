"""Every write of the dossiers app, split by entity; import from `dossiers.services`."""

from dossiers.services.aggregates import (  # noqa: F401
    AGGREGATE_COLUMNS,
    AGGREGATE_COUNT_FIELDS,
    aggregate_row_imbalance,
    aggregate_row_save,
    aggregate_rows_import,
)
from dossiers.services.alerts import (  # noqa: F401
    dossiers_claim_apology_alerts,
    dossiers_claim_overdue_alerts,
)
from dossiers.services.dossiers import (  # noqa: F401
    derive_dates,
    dossier_create,
    dossier_derive_dates,
    dossier_finish,
    dossier_register_apology,
)
from dossiers.services.imports import (  # noqa: F401
    DOSSIER_COLUMNS,
    dossier_import_run,
    dossier_import_start,
    import_progress,
)
from dossiers.services.procedures import (  # noqa: F401
    due_moment,
    procedure_change_rules,
    procedure_create,
    procedure_field_get_or_create,
    version_at,
)
from dossiers.services.upserts import (  # noqa: F401
    DossierRow,
    DossierWriter,
    Lookups,
    dossier_parse_row,
    dossiers_upsert,
    parse_moment,
)
