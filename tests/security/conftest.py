# The security tests reach into every app; they reuse the apps' own fixtures.
from tests.indicators.conftest import framework, opened, rate_source  # noqa: F401
from tests.security.test_permission_matrix import (  # noqa: F401
    indicator_source,
    world,
    world_once,
)
from tests.tasks.conftest import (  # noqa: F401
    assignment_a,
    assignment_b,
    directive,
    pdf_file,
    task_a,
    task_b,
)
