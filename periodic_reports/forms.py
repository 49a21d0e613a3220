from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin, DateTextInput
from periodic_reports.models import ReportKind
from periodic_reports.narrative import SECTION_KEYS

SECTION_LABELS = {
    "results": _("Results"),
    "limitations": _("Limitations and causes"),
    "tasks_ahead": _("Tasks ahead"),
    "proposals": _("Proposals"),
}


class RoundOpenForm(BootstrapFormMixin, forms.Form):
    kind = forms.ModelChoiceField(
        label=_("Report kind"), queryset=ReportKind.objects.order_by("order", "code")
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    unit_due_date = forms.DateField(
        label=_("Units report by"),
        required=False,
        widget=DateTextInput(),
        help_text=_("Empty: the report kind's day (e.g. the 17th of the period's last month)."),
    )

    # Shown only once the due day turns out to be past: opening such a round tells every unit at
    # once and makes each of them late on the spot, so the officer says so knowingly.
    confirm_past_due = forms.BooleanField(
        label=_("Open the round all the same, with its due day already past"),
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.fields["year"].initial = self.today.year

    def clean(self):
        cleaned = super().clean()
        kind, year = cleaned.get("kind"), cleaned.get("year")
        if kind is None or year is None or self.errors:
            return cleaned
        try:
            start, end = kind.window(year)
            unit_due = cleaned.get("unit_due_date") or kind.unit_due_date(year)
        except ValueError:  # a kind whose days make no date in that year: the service says so
            return cleaned
        # A due day before the window starts, or a window not started yet: the service refuses
        if unit_due < start or start > self.today:
            return cleaned
        if unit_due >= self.today or cleaned.get("confirm_past_due"):
            return cleaned
        if end < self.today:
            message = _(
                "The period ended on %(end)s and units had to report by %(due)s, which is past: "
                "every unit will be late as soon as the round opens. Set a later due day, or tick "
                "the box below to open it all the same."
            ) % {"end": f"{end:%d/%m/%Y}", "due": f"{unit_due:%d/%m/%Y}"}
        else:
            message = _(
                "Units had to report by %(due)s, which is past: every unit will be late as soon "
                "as the round opens. Set a later due day, or tick the box below to open it all "
                "the same."
            ) % {"due": f"{unit_due:%d/%m/%Y}"}
        self.add_error("unit_due_date", message)
        self.fields["confirm_past_due"].widget = forms.CheckboxInput(
            attrs={"class": "form-check-input"}
        )
        return cleaned


class ReportKindForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = ReportKind
        fields = (
            "name",
            "start_day",
            "start_month",
            "start_in_previous_year",
            "end_day",
            "end_month",
            "unit_due_day",
            "due_day",
        )


class ReportEditForm(BootstrapFormMixin, forms.Form):
    """The draft's header fields and, per CCHC area, the four sections of the outline."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    number = forms.CharField(label=_("Number and symbol"), max_length=64, required=False)
    issue_date = forms.DateField(label=_("Issue date"), required=False, widget=DateTextInput())
    signer_title = forms.CharField(label=_("Signer's title"), max_length=150, required=False)
    signer_name = forms.CharField(label=_("Signer"), max_length=150, required=False)
    recipients = forms.CharField(
        label=_("Recipients"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One recipient per line."),
    )
    intro = forms.CharField(
        label=_("Opening paragraph"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    general_proposals = forms.CharField(
        label=_("General proposals"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = []
        for area in areas:
            names = []
            for key in SECTION_KEYS:
                name = f"area_{area['code']}_{key}"
                self.fields[name] = forms.CharField(
                    label=SECTION_LABELS[key],
                    required=False,
                    widget=forms.Textarea(
                        attrs={"rows": 3 if key != "results" else 5, "class": "form-control"}
                    ),
                )
                names.append(name)
            self.areas.append({"code": area["code"], "name": area["name"], "fields": names})

    HEADER = (
        "number",
        "issue_date",
        "signer_title",
        "signer_name",
        "recipients",
        "intro",
        "general_proposals",
    )

    def header_fields(self):
        return [self[name] for name in self.HEADER]

    def area_fields(self):
        return [
            {"code": a["code"], "name": a["name"], "fields": [self[n] for n in a["fields"]]}
            for a in self.areas
        ]

    def sections(self) -> dict:
        data = self.cleaned_data
        sections = {
            str(area["code"]): {
                key: data.get(f"area_{area['code']}_{key}", "") for key in SECTION_KEYS
            }
            for area in self.areas
        }
        sections["general"] = {
            "intro": data.get("intro", ""),
            "proposals": data.get("general_proposals", ""),
            "results": "",
            "limitations": "",
            "tasks_ahead": "",
        }
        return sections

    def header(self) -> dict:
        data = self.cleaned_data
        return {
            key: data.get(key)
            for key in ("number", "issue_date", "signer_title", "signer_name", "recipients")
        }


class ReturnForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason returned"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class TemplateUploadForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Template file (.docx)"),
        help_text=_("A Word document with the placeholders listed below."),
    )
