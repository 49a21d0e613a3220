"""The suite's xdist groups hold: under `--dist loadgroup` (make test) the demo province and
the real-worker tests each stay on one worker. pytest 9.2 with pytest-xdist 3.8 ignored the
groups without a word, and each worker built the demo again (requirements-dev.txt)."""

import pytest


@pytest.mark.xdist_group("probe")
def test_a_grouped_test_runs_in_its_group(request):
    if not request.config.getoption("loadgroup", False):
        pytest.skip("the suite runs without --dist loadgroup: there are no groups to keep")
    assert request.node.nodeid.endswith("@probe"), (
        "--dist loadgroup ignored this test's xdist_group: this pytest and pytest-xdist do "
        "not work together (see requirements-dev.txt)"
    )
