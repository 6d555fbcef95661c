"""Every URL pattern of the project, turned into concrete paths for sweeps."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

SAMPLE = {"int": "1", "slug": "sample", "str": "sample", "path": "sample", "uuid": ""}


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name" or the pattern text when unnamed
    pattern: str
    converters: dict  # parameter name -> converter type name


def walk(resolver: URLResolver | None = None, prefix: str = "", ns: str = "") -> Iterator[Route]:
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        text = str(entry.pattern)
        if isinstance(entry, URLResolver):
            namespace = f"{ns}{entry.namespace}:" if entry.namespace else ns
            yield from walk(entry, prefix + text, namespace)
        elif isinstance(entry, URLPattern):
            converters = {
                name: type(conv).__name__.replace("Converter", "").lower()
                for name, conv in getattr(entry.pattern, "converters", {}).items()
            }
            name = f"{ns}{entry.name}" if entry.name else prefix + text
            yield Route(name=name, pattern=prefix + text, converters=converters)


def fill(route: Route, values: Callable[[str, str], str] | None = None) -> str | None:
    """A concrete path for ``route``; ``values(param, converter)`` supplies parameters.

    Returns None for regex patterns we cannot fill (the admin's catch-all).
    """
    import re

    pattern = route.pattern
    if pattern.startswith("^") or "(?P" in pattern:
        return None

    def replace(match: re.Match) -> str:
        converter, name = (match.group(1) or "str"), match.group(2)
        value = values(name, converter) if values else None
        return value if value is not None else SAMPLE.get(converter, "sample")

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", replace, pattern)
