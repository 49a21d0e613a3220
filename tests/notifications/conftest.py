import pytest
from django.core import mail


@pytest.fixture(autouse=True)
def _empty_outbox():
    mail.outbox = []


@pytest.fixture
def with_emails(head_a, staff_a, head_b):
    for user, email in ((head_a, "head_a@stc.example"), (staff_a, "staff_a@stc.example")):
        user.email = email
        user.save(update_fields=["email"])
    head_b.email = "head_b@stp.example"
    head_b.save(update_fields=["email"])
    return head_a, staff_a, head_b
