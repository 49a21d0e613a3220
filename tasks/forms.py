import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from directives.forms import DateInput
from directives.models import CchcArea
from organizations.forms import UnitChoiceField, UnitMultipleChoiceField
from organizations.models import UnitKind
from organizations.selectors import units_valid_on
from tasks.models import OutputKind, TaskRecurrence
from tasks.services import AddressMode


class TaskForm(BootstrapFormMixin, forms.Form):
    """One row of the plan-entry grid."""

    item_number = forms.CharField(label=_("No."), max_length=20)
    title = forms.CharField(label=_("Task"), max_length=300)
    content = forms.CharField(
        label=_("Content"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    lead_unit = UnitChoiceField(label=_("Lead unit"), required=False)
    address_mode = forms.ChoiceField(
        label=_("Also addressed to"),
        choices=[("", "—"), *AddressMode.choices],
        required=False,
    )
    address_kind = forms.ChoiceField(
        label=_("Unit kind"), choices=[("", "—"), *UnitKind.choices], required=False
    )
    addressees = UnitMultipleChoiceField(label=_("Picked units"), required=False)
    cooperating_units = UnitMultipleChoiceField(label=_("Cooperating units"), required=False)
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DateInput())
    recurrence = forms.ChoiceField(
        label=_("Recurrence"), choices=TaskRecurrence.choices, required=False
    )
    period_offset_days = forms.IntegerField(
        label=_("Days after period end"), min_value=0, max_value=120, initial=0, required=False
    )
    output_kind = forms.ChoiceField(
        label=_("Kind of output"), choices=OutputKind.choices, initial=OutputKind.REPORT
    )
    expected_output = forms.CharField(label=_("Expected output"), max_length=300, required=False)
    area = forms.ModelChoiceField(
        label=_("CCHC area"), queryset=CchcArea.objects.all(), required=False
    )
    is_key = forms.BooleanField(label=_("Key task"), required=False)

    # The plan grid's row form (templates/includes/form_fields.html): wider text and unit pickers.
    field_columns = {
        "title": "col-md-6",
        "content": "col-md-6",
        "addressees": "col-md-3",
        "cooperating_units": "col-md-3",
    }

    def __init__(self, *args, on_date: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if on_date is not None:
            # the plan's issue date: only the units that existed then are offered
            for name in ("lead_unit", "addressees", "cooperating_units"):
                self.fields[name].offer_valid_on(on_date)
            kinds = set(units_valid_on(on_date).values_list("kind", flat=True).distinct())
            self.fields["address_kind"].choices = [
                (value, label) for value, label in self.fields["address_kind"].choices
                if not value or value in kinds
            ]  # fmt: skip


class ReportForm(BootstrapFormMixin, forms.Form):
    percent = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100, initial=0)
    text = forms.CharField(label=_("Report"), widget=forms.Textarea(attrs={"rows": 3}))
    reports_done = forms.BooleanField(label=_("The task is done"), required=False)
    evidence = forms.FileField(label=_("Evidence file"), required=False)
    period = forms.IntegerField(required=False, widget=forms.HiddenInput())


class ReturnForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ExtensionRequestForm(BootstrapFormMixin, forms.Form):
    requested_deadline = forms.DateField(label=_("New deadline"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ExtensionDecisionForm(BootstrapFormMixin, forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("refuse", _("Refuse"))])
    note = forms.CharField(label=_("Note"), required=False)


class TaskImportForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is judged by the upload guard in the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class PostForm(BootstrapFormMixin, forms.Form):
    """A message in the conversation of an assignment. `client_token` is new on every form
    shown: the same token sent twice (a double click) posts once."""

    body = forms.CharField(
        label=_("Your message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    files = MultipleFileField(
        label=_("Attached files"),
        required=False,
        help_text=_("PDF, Word, Excel or pictures; up to 5 files."),
    )
    client_token = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput())


# --- Changing a task after entry -----------------------------------------------------------------


class _ReasonField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("Reason for the change"),
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text=_("Kept in the task's history and sent to the units on the task."),
            **kwargs,
        )


class TaskEditForm(BootstrapFormMixin, forms.Form):
    """The task's fields Home Affairs may change after entry, with the reason, and the version
    of the task the page was read at (a stale page is refused by the service)."""

    title = forms.CharField(label=_("Task"), max_length=300)
    content = forms.CharField(
        label=_("Content"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    expected_output = forms.CharField(label=_("Expected output"), max_length=300, required=False)
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DateInput())
    lead_unit = UnitChoiceField(label=_("Lead unit"), required=False)
    cooperating_units = UnitMultipleChoiceField(label=_("Cooperating units"), required=False)
    reason = _ReasonField()
    version = forms.IntegerField(widget=forms.HiddenInput())

    EDITABLE = ("title", "content", "expected_output", "deadline", "lead_unit", "cooperating_units")

    def __init__(self, *args, task, **kwargs):
        initial = {
            "title": task.title,
            "content": task.content,
            "expected_output": task.expected_output,
            "deadline": task.deadline,
            "lead_unit": task.lead_unit,
            "cooperating_units": list(task.cooperating_units.all()),
            "version": task.version,
        }
        super().__init__(*args, initial=initial, **kwargs)
        on_date = task.directive.issue_date
        for name in ("lead_unit", "cooperating_units"):
            self.fields[name].offer_valid_on(on_date)
        if task.recurrence:
            # a recurring task's deadlines are its periods' (moved from the plan grid)
            del self.fields["deadline"]

    def changes(self) -> dict:
        """The fields the user changed, for tasks.services.task_edit."""
        return {
            name: self.cleaned_data[name] for name in self.changed_data if name in self.EDITABLE
        }


class TaskStateForm(BootstrapFormMixin, forms.Form):
    """Suspend, resume or cancel a whole task, with the reason."""

    action = forms.ChoiceField(
        choices=[("suspend", _("Suspend")), ("resume", _("Resume")), ("cancel", _("Cancel"))],
        widget=forms.HiddenInput(),
    )
    reason = _ReasonField()
    version = forms.IntegerField(widget=forms.HiddenInput())

    def __init__(self, *args, **kwargs):
        # beside the edit form on the task page: its own ids (id_state_reason)
        kwargs.setdefault("auto_id", "id_state_%s")
        super().__init__(*args, **kwargs)


class PlanBulkForm(BootstrapFormMixin, forms.Form):
    """The plan grid's bulk action on the ticked tasks: move their deadlines (by a number of
    days or to a date), give them a new lead unit, or cancel them; always with a reason."""

    action = forms.ChoiceField(
        label=_("Action"),
        choices=[
            ("shift", _("Move the deadlines")),
            ("lead", _("Change the lead unit")),
            ("cancel", _("Cancel the tasks")),
        ],
    )
    days = forms.IntegerField(
        label=_("By a number of days"),
        required=False,
        min_value=-366,
        max_value=366,
        help_text=_("Positive: later; negative: earlier."),
    )
    to_date = forms.DateField(label=_("Or to the date"), required=False, widget=DateInput())
    lead_unit = UnitChoiceField(label=_("New lead unit"), required=False)
    reason = _ReasonField()
    tasks = forms.ModelMultipleChoiceField(
        label=_("Selected tasks"),
        queryset=None,
        widget=forms.MultipleHiddenInput(),
        error_messages={"required": _("Tick at least one task in the table.")},
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput())

    field_columns = {"reason": "col-md-4"}
    # the plan page also holds the add-a-task form (its own lead unit field): ids stay apart
    prefix = "bulk"

    def __init__(self, *args, directive, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tasks"].queryset = directive.tasks.all()
        self.fields["lead_unit"].offer_valid_on(directive.issue_date)

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action == "shift" and (data.get("days") is None) == (data.get("to_date") is None):
            self.add_error("days", _("Give either a number of days or a new date."))
        if action == "lead" and not data.get("lead_unit"):
            self.add_error("lead_unit", _("Choose the new lead unit."))
        return data
