import pytest


@pytest.fixture
def with_emails(head_a, staff_a):
    for user, email in ((head_a, "head_a@stc.example"), (staff_a, "staff_a@stc.example")):
        user.email = email
        user.save(update_fields=["email"])
    return head_a, staff_a, None
