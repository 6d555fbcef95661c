"""The form renderer of every form (settings.FORM_RENDERER): Django's own, with
the templates that nearly every field uses printed in Python.

Through the template engine a field costs an include per attribute and per
option: the ticket page's details form took a quarter of its template time that
way. The printers below print what Django's templates print, byte for byte
(tests/test_form_rendering.py renders every widget both ways); any template
without a printer (radio buttons, file inputs, errors) is rendered as usual.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, SafeString, mark_safe


def _shown(value) -> str:
    """``{{ value }}`` for the texts and numbers a widget holds."""
    return conditional_escape(value if isinstance(value, str) else str(value))


def _formatted(value) -> str:
    """``{{ value|stringformat:'s' }}``: the filter keeps a safe value safe."""
    text = str(value)  # what "%s" makes of it, a tuple included
    return text if isinstance(value, SafeData) else escape(text)


def _attrs(attrs: dict) -> str:
    """django/forms/attrs.html and widgets/attrs.html: ``True`` a bare name, ``False`` left out."""
    return "".join(
        f" {_shown(name)}" + ("" if value is True else f'="{_formatted(value)}"')
        for name, value in attrs.items()
        if value is not False
    )


def _option(option: dict) -> str:
    return (
        f'<option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
        f"{_shown(option['label'])}</option>"
    )


def _select(context: dict) -> str:
    widget = context["widget"]
    parts = [f'<select name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _ in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
        # The option's template ends with a line break: each option on its own line.
        parts += [f"\n  {_option(option)}\n" for option in group_choices]
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _input(context: dict) -> str:
    widget = context["widget"]
    value = "" if widget["value"] is None else f' value="{_formatted(widget["value"])}"'
    return (
        f'<input type="{_shown(widget["type"])}" name="{_shown(widget["name"])}"{value}'
        f"{_attrs(widget['attrs'])}>"
    )


def _textarea(context: dict) -> str:
    widget = context["widget"]
    value = _shown(widget["value"]) if widget["value"] else ""
    name = _shown(widget["name"])
    return f'<textarea name="{name}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _label(context: dict) -> str:
    label = _shown(context["label"])
    if not context["use_tag"]:
        return label
    tag = _shown(context["tag"])
    return f"<{tag}{_attrs(context['attrs'])}>{label}</{tag}>"


# Each of these widget templates is one include of input.html.
INPUTS = ("checkbox", "color", "date", "datetime", "email", "hidden", "input", "number",
          "password", "search", "tel", "text", "time", "url")  # fmt: skip


class PrintedTemplates(DjangoTemplates):
    printers = {
        "django/forms/widgets/select.html": _select,
        "django/forms/widgets/textarea.html": _textarea,
        "django/forms/label.html": _label,
        **{f"django/forms/widgets/{name}.html": _input for name in INPUTS},
    }

    def render(self, template_name, context, request=None) -> str | SafeString:
        printer = self.printers.get(template_name)
        if printer is None:
            return super().render(template_name, context, request=request)
        # Django's renderer strips what its template printed; so does this one.
        return mark_safe(printer(context).strip())  # noqa: S308 - escaped as the templates do
