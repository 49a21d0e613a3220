"""The portal's routes as tests walk them."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver


def api_list_names() -> list[str]:
    """The route names of every list the API serves (DRF routers name them '<basename>-list')."""

    def walk(patterns, inside_api: bool):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(
                    entry.url_patterns, inside_api or str(entry.pattern).startswith("api/")
                )
            elif isinstance(entry, URLPattern) and inside_api and entry.name:
                if entry.name.endswith("-list"):
                    yield entry.name

    return sorted(set(walk(get_resolver().url_patterns, False)))
