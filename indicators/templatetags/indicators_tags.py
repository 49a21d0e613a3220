from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def points(value, digits: int = 2):
    """A score with a decimal comma ('12,50'); blank for None."""
    if value is None or value == "":
        return ""
    return number_format(value, digits, use_l10n=True, force_grouping=True)


@register.filter
def source_label(key: str) -> str:
    """A computed criterion's data source as people name it (the key stays in forms and files)."""
    from indicators.sources import get_source

    source = get_source(key) if key else None
    return source.label if source else key


@register.filter
def indent(depth: int) -> str:
    return f"ps-{min(int(depth) * 2 - 2, 5)}"


SHOWN_APART = {"source", "label", "percent", "band_from", "error", "note"}


@register.filter
def raw_figures(figures) -> list[tuple[str, object]]:
    """The source's own figures (done, total...), without the keys the sheet shows apart."""
    return [(key, value) for key, value in (figures or {}).items() if key not in SHOWN_APART]
