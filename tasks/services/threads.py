"""The conversation of an assignment: Home Affairs, the lead unit and the task's cooperating
units write messages, with files, on the lead unit's assignment (tasks.models.AssignmentPost)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.uploads import check_evidence
from notifications.events import emit
from organizations.models import User
from tasks import policy
from tasks.models import Assignment, AssignmentPost, Evidence

MAX_POST_FILES = 5


@transaction.atomic
def assignment_post_create(
    *, assignment: Assignment, actor: User, body: str, files=(), client_token: str = ""
) -> AssignmentPost:
    """Write a message (with files) in the thread of a lead assignment and tell the others on it.

    The same `client_token` from the same author returns the message already written (a double
    click or a resent form posts once, and notifies once). Every file passes the upload guard
    before any is stored; a refused file, an empty message or a closed thread write nothing."""
    policy.require_person(actor, policy.THREAD_POST, assignment=assignment)
    client_token = (client_token or "").strip()[:64]
    if client_token:
        existing = AssignmentPost.objects.filter(author=actor, client_token=client_token).first()
        if existing is not None:
            return existing
    policy.require(actor, policy.THREAD_POST, assignment=assignment)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a message.")})
    files = list(files or ())
    if len(files) > MAX_POST_FILES:
        raise ValidationError(
            {"files": _("Attach at most %(count)s files to a message.") % {"count": MAX_POST_FILES}}
        )
    # Every file is judged before any is stored: one refused file leaves nothing behind.
    checked = []
    for upload in files:
        try:
            checked.append(check_evidence(upload))
        except ValidationError as exc:
            name = getattr(upload, "name", "")
            raise ValidationError(
                {"files": [f"{name}: {message}" if name else message for message in exc.messages]}
            ) from exc
    post = AssignmentPost(
        assignment=assignment,
        author=actor,
        author_unit_id=actor.unit_id,
        body=body,
        client_token=client_token,
    )
    post.full_clean()
    try:
        with transaction.atomic():
            post.save()
    except IntegrityError:
        # The same token won a race with this request: that message is the one.
        existing = AssignmentPost.objects.filter(author=actor, client_token=client_token).first()
        if existing is None:
            raise
        return existing
    for upload, check in zip(files, checked, strict=True):
        evidence = Evidence.from_upload(upload, uploaded_by=actor, checked=check, post=post)
        evidence.full_clean()
        evidence.save()
    # the others on the thread hear of it once the message is committed (keyed by the post)
    emit("thread.posted", actor=actor, subject=post, occurrence=post.pk)
    return post
