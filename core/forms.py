import datetime
from html import escape

from django import forms
from django.utils.formats import get_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from core.models import WorkdayOverrideKind

# Django's empty choice (BLANK_CHOICE_DASH, ModelChoiceField.empty_label): no one reads dashes.
DJANGO_EMPTY_CHOICE = "---------"
EMPTY_CHOICE = _("— Choose —")


def relabel_empty_choice(field: forms.Field) -> None:
    """Show a select's empty option as "— Chọn —" instead of Django's dashes."""
    if getattr(field, "empty_label", None) == DJANGO_EMPTY_CHOICE:
        field.empty_label = EMPTY_CHOICE  # ModelChoiceField reads it when the options render
    elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        choices = list(field.choices)
        if any(label == DJANGO_EMPTY_CHOICE for _value, label in choices):
            field.choices = [
                (value, EMPTY_CHOICE if label == DJANGO_EMPTY_CHOICE else label)
                for value, label in choices
            ]


def errors_as_text(form: forms.BaseForm) -> str:
    """A refused form's errors in one message, each after its field's label ("Chỉ tiêu: ..."),
    for a form posted from a page that redirects back (a flash message, not the field)."""
    parts = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = field.label if field is not None and field.label else ""
        parts.extend(f"{label}: {error}" if label else str(error) for error in errors)
    return " ".join(parts)


class DateTextInput(forms.DateInput):
    """A date typed or picked as dd/mm/yyyy. A text input (not type=date) so the browser never
    shows its own ISO-ordered widget; static/js/lists.js attaches the Vietnamese date picker.
    A raw value from the URL (a dashboard link may send 2026-03-31) is shown as 31/03/2026."""

    input_type = "text"

    def __init__(self, attrs=None):
        base = {
            "placeholder": "dd/mm/yyyy",
            "inputmode": "numeric",
            "autocomplete": "off",
            "data-datepicker": "",
        }
        attrs = {key: value for key, value in (attrs or {}).items() if key != "type"}
        super().__init__({**base, **attrs}, format="%d/%m/%Y")

    def format_value(self, value):
        if isinstance(value, str):
            for fmt in get_format("DATE_INPUT_FORMATS"):
                try:
                    value = datetime.datetime.strptime(value.strip(), fmt).date()  # noqa: DTZ007
                    break
                except ValueError:
                    continue
        return super().format_value(value)


def _attrs_html(attrs: dict) -> str:
    """Django's widgets/attrs.html in Python: True is a bare attribute, False is left out."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {escape(name)}")
        else:
            parts.append(f' {escape(name)}="{escape(str(value))}"')
    return "".join(parts)


class FastSelect(forms.Select):
    """A select written in Python with the markup of Django's select.html and
    select_option.html: a long list (the dashboard's 300 directives) otherwise renders one
    template per option, most of the page's rendering time. Grouped choices take Django's
    own way."""

    def render(self, name, value, attrs=None, renderer=None):
        # (a comprehension: list() would ask a ModelChoiceIterator's len(), a COUNT query)
        choices = [choice for choice in self.choices]  # noqa: C416
        if any(isinstance(label, list | tuple) for _value, label in choices):
            return super().render(name, value, attrs, renderer)
        wanted = set(self.format_value(value))
        html = [f'<select name="{escape(name)}"{_attrs_html(self.build_attrs(self.attrs, attrs))}>']
        for option_value, label in choices:
            option_value = "" if option_value is None else str(option_value)
            # like Select.optgroups: only the first option of the value is selected
            selected = option_value in wanted
            if selected:
                wanted.discard(option_value)
            html.append(
                f'\n  <option value="{escape(option_value)}"{" selected" if selected else ""}>'
                f"{escape(str(label))}</option>"
            )
        html.append("\n</select>")
        return mark_safe("".join(html))  # nosec B308 B703 - every value above is escaped


NUMBER_FIELDS = (forms.IntegerField, forms.DecimalField, forms.FloatField)


class WholeNumberInput(forms.TextInput):
    """A whole number shown back as plain digits: a year must not read "2.026" (a localized
    field's widget would group it); the field still reads "1.234" as typed."""

    def format_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        return super().format_value(value)


def localize_number_field(field: forms.Field) -> None:
    """Let a typed number read the Vietnamese way: "1.234" is one thousand two hundred and
    thirty-four, "70,5" is seventy and a half. A text input, since <input type=number> refuses
    both in most browsers; the field still checks its bounds on the server."""
    if isinstance(field.widget, forms.HiddenInput):
        return
    field.localize = True
    attrs = {
        key: value
        for key, value in field.widget.attrs.items()
        if key not in ("min", "max", "step", "type")
    }
    # (DecimalField and FloatField are IntegerField subclasses in Django)
    whole = not isinstance(field, forms.DecimalField | forms.FloatField)
    widget = WholeNumberInput if whole else forms.TextInput
    field.widget = widget(attrs={**attrs, "inputmode": "numeric" if whole else "decimal"})
    field.widget.is_localized = True


class BootstrapFormMixin:
    """Give every widget Bootstrap's class, so templates render fields with no per-field markup;
    dates as dd/mm/yyyy with the picker, numbers typed the Vietnamese way, every select a
    readable empty option, and a field with an error marked invalid and tied to its message
    (templates/includes/form_fields.html)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            relabel_empty_choice(field)
            if isinstance(field, forms.DateField) and not isinstance(
                field.widget, DateTextInput | forms.HiddenInput
            ):
                field.widget = DateTextInput(attrs=field.widget.attrs)
            elif isinstance(field, NUMBER_FIELDS):
                localize_number_field(field)
            # "—" for "nothing chosen", not Django's "---------"
            if isinstance(field, forms.ModelChoiceField) and field.empty_label == "---------":
                field.empty_label = "—"
            elif isinstance(field, forms.ChoiceField) and not isinstance(
                field, forms.ModelChoiceField
            ):
                choices = list(field.choices)
                if any(label == "---------" for _value, label in choices):
                    field.choices = [
                        (value, "—" if label == "---------" else label) for value, label in choices
                    ]
            widget = field.widget
            if isinstance(widget, forms.RadioSelect):
                # radios and CheckboxSelectMultiple: Django puts attrs on the list's wrapper as
                # well as on each box, so no class (a form-control wrapper breaks the layout)
                continue
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.SelectMultiple):
                # A searchable multi-select (static/js/lists.js) instead of a ctrl-click list.
                css = "form-select"
                widget.attrs.setdefault("data-multiselect", "")
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                if "is-invalid" not in attrs.get("class", ""):
                    attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-describedby"] = f"{self[name].auto_id}_error"


class WorkdayOverrideForm(BootstrapFormMixin, forms.Form):
    date = forms.DateField(label=_("Date"))
    kind = forms.ChoiceField(label=_("Kind"), choices=WorkdayOverrideKind.choices)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)
