"""The form renderer: Django's own templates, with the most common widgets written in Python.

A select with a hundred departments renders each option through two template includes; on the
case list's filter form that was four tenths of the page's time. The templates handled here
(inputs, text areas, selects and their options, labels) are rendered to exactly the markup of
Django's templates of the same name; every other template, and any template a project or app
overrides under the same name, goes through the template engine as before.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

WIDGETS = "django/forms/widgets/"
INPUT_TEMPLATES = frozenset(
    f"{WIDGETS}{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "search",
        "tel",
        "color",
        "checkbox",
    )
)


def _text(value: object) -> str:
    """``{{ value|stringformat:'s' }}``: the value as text, escaped unless marked safe."""
    return str(conditional_escape(value if isinstance(value, SafeString) else str(value)))


def render_attrs(attrs: Mapping[str, Any]) -> str:
    """``django/forms/widgets/attrs.html``: ``False`` leaves the attribute out, ``True`` writes
    its bare name."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {_text(name)}" if value is True else f' {_text(name)}="{_text(value)}"')
    return "".join(parts)


def render_input(widget: Mapping[str, Any]) -> str:
    value = widget["value"]
    value_attr = f' value="{_text(value)}"' if value is not None else ""
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"'
        f"{value_attr}{render_attrs(widget['attrs'])}>"
    )


def render_textarea(widget: Mapping[str, Any]) -> str:
    value = widget["value"]
    body = _text(value) if value else ""
    return (
        f'<textarea name="{_text(widget["name"])}"{render_attrs(widget["attrs"])}>\n'
        f"{body}</textarea>"
    )


def render_option(option: Mapping[str, Any]) -> str:
    return (
        f'<option value="{_text(option["value"])}"{render_attrs(option["attrs"])}>'
        f"{_text(option['label'])}</option>"
    )


def render_select(widget: Mapping[str, Any]) -> str:
    parts = [f'<select name="{_text(widget["name"])}"{render_attrs(widget["attrs"])}>']
    option_template = f"{WIDGETS}select_option.html"
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            if option["template_name"] != option_template:
                raise _Unhandled
            # The option's template file ends with a newline, which the include keeps.
            parts.append(f"\n  {render_option(option)}\n")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def render_label(context: Mapping[str, Any]) -> str:
    label = _text(context["label"])
    if not context["use_tag"]:
        return label
    tag = _text(context["tag"])
    return f"<{tag}{render_attrs(context['attrs'] or {})}>{label}</{tag}>"


class _Unhandled(Exception):
    """A case the Python rendering does not cover: the template renders it."""


def _widget(render: Callable[[Mapping[str, Any]], str]) -> Callable[[Mapping[str, Any]], str]:
    return lambda context: render(context["widget"])


RENDERERS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    **dict.fromkeys(INPUT_TEMPLATES, _widget(render_input)),
    f"{WIDGETS}textarea.html": _widget(render_textarea),
    f"{WIDGETS}select.html": _widget(render_select),
    f"{WIDGETS}select_option.html": _widget(render_option),
    "django/forms/label.html": render_label,
}


class FormRenderer(DjangoTemplates):
    """``FORM_RENDERER``: Python for the templates in ``RENDERERS``, the engine for the rest."""

    def render(self, template_name: str, context: Any, request: Any = None) -> str:
        render = RENDERERS.get(template_name)
        if render is not None and self._is_django_own(template_name):
            try:
                # Every part was escaped on the way in.
                return mark_safe(render(context).strip())
            except _Unhandled:
                pass
        return str(super().render(template_name, context, request=request))

    def _is_django_own(self, template_name: str) -> bool:
        """The template found under this name is Django's (no project or app overrides it)."""
        cache: dict[str, bool] = self.__dict__.setdefault("_django_own", {})
        if template_name not in cache:
            origin = self.get_template(template_name).origin.name
            cache[template_name] = "/django/forms/templates/" in str(origin)
        return cache[template_name]
