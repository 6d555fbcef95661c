"""``{% url %}`` with its answers kept: a builtin of every template (settings.TEMPLATES).

Django's tag reverses every URL afresh, about 30 µs each, and a ticket page
prints some forty of them (its actions, the frame's links): 1.4 ms a page. The
URL patterns do not change while a process runs, so the answer for the same
name, arguments and URL configuration is kept (the most recent few thousand).
A URL whose arguments are all numbers (a ticket's actions) is kept as a
pattern with the numbers left out, so every ticket shares it.
"""

from functools import lru_cache

from django.conf import settings
from django.template import Library
from django.template.defaulttags import URLNode, url
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.translation import get_language

register = Library()


# Stand-ins for numeric arguments: digits no real id has, replaced afterwards.
STAND_INS = tuple(str(987_650_000_001 + i) for i in range(4))


@lru_cache(maxsize=1024)
def _numbered(view_name: str, count: int, current_app, urlconf: tuple, prefix) -> str | None:
    """The URL of ``view_name`` with ``count`` numeric arguments as a format string,
    or None when the stand-ins do not come back exactly once each."""
    try:
        url = _reversed(view_name, STAND_INS[:count], (), current_app, urlconf, prefix)
    except NoReverseMatch:  # a pattern that takes no numbers there: reverse each URL
        return None
    if any(url.count(stand_in) != 1 for stand_in in STAND_INS[:count]):
        return None
    pattern = url.replace("{", "{{").replace("}", "}}")
    for i, stand_in in enumerate(STAND_INS[:count]):
        pattern = pattern.replace(stand_in, f"{{{i}}}")
    return pattern


@lru_cache(maxsize=4096)
def _reversed(view_name: str, args: tuple, kwargs: tuple, current_app, urlconf: tuple, prefix):
    return reverse(view_name, urlconf=urlconf[0], args=args, kwargs=dict(kwargs),
                   current_app=current_app)  # fmt: skip


def _urlconf() -> tuple:
    """Whatever else decides a reversed URL: the URL configuration and language."""
    return get_urlconf() or settings.ROOT_URLCONF, get_language()


def kept_reverse(view_name: str, *args) -> str:
    """``reverse(view_name, args=args)``, its answer kept as the tag keeps it."""
    return _reversed(view_name, args, (), None, _urlconf(), get_script_prefix())


class KeptURLNode(URLNode):
    def render(self, context):
        args = tuple(arg.resolve(context) for arg in self.args)
        kwargs = tuple((k, v.resolve(context)) for k, v in self.kwargs.items())
        request = getattr(context, "request", None)
        current_app = getattr(request, "current_app", None)
        if current_app is None:
            current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
        urlconf = _urlconf()
        view_name, prefix = self.view_name.resolve(context), get_script_prefix()
        try:
            pattern = None
            numbers = 0 < len(args) <= len(STAND_INS) and not kwargs
            if numbers and all(type(arg) is int and arg >= 0 for arg in args):
                pattern = _numbered(view_name, len(args), current_app, urlconf, prefix)
            if pattern is not None:
                found = pattern.format(*args)
            else:
                found = _reversed(view_name, args, kwargs, current_app, urlconf, prefix)
        except TypeError:  # an argument that cannot be a key (a list): as Django does
            return super().render(context)
        except NoReverseMatch:
            if self.asvar is None:
                raise
            found = ""  # "{% url … as name %}" leaves the name empty (the admin relies on it)
        if self.asvar:
            context[self.asvar] = found
            return ""
        return conditional_escape(found) if context.autoescape else found


@register.tag(name="url")
def kept_url(parser, token) -> KeptURLNode:
    node = url(parser, token)
    return KeptURLNode(node.view_name, node.args, node.kwargs, node.asvar)
