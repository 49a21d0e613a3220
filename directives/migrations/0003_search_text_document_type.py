"""Recompute every directive's search_text: it now holds the document type's Vietnamese name and
abbreviation, so "cong van 2718" and "KH 5580" find their directives."""

from django.db import migrations

from core.text import fold_join
from directives.numbering import type_search_words


def recompute(apps, schema_editor):
    directive_model = apps.get_model("directives", "Directive")
    changed = []
    for directive in directive_model.objects.select_related("issuer").iterator(chunk_size=1000):
        issuer = directive.issuer.name if directive.issuer_id else directive.issuer_name
        # the same fields, in the same order, as directives.services.directive_search_text
        directive.search_text = fold_join(
            directive.number,
            type_search_words(directive.doc_type),
            directive.summary,
            issuer,
            directive.signer,
        )
        changed.append(directive)
    directive_model.objects.bulk_update(changed, ["search_text"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("directives", "0002_cchc_areas")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
