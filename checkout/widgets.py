"""A select for long lists, such as the 60 states and territories of the
delivery address, its options written directly. Through Django's option
template each option cost about 50 µs: 3 ms of every address page (timeit
on this machine)."""

from django import forms
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe


class LongSelect(forms.Select):
    """Renders what Django's Select renders (its attributes in order, the
    selected option, option groups), without a template per option."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        chosen = set(self.format_value(value))
        attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attrs["multiple"] = True
        parts = [f'<select name="{escape(name)}"{_attributes(attrs)}>']
        for group, choices in self._groups():
            if group is not None:
                parts.append(f'<optgroup label="{conditional_escape(group)}">')
            for option, label in choices:
                selected = " selected" if str(option) in chosen else ""
                parts.append(
                    f'<option value="{conditional_escape(option)}"{selected}>'
                    f"{conditional_escape(label)}</option>"
                )
            if group is not None:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value escaped above

    def _groups(self):
        for value, label in self.choices:
            if isinstance(label, list | tuple):
                yield value, label
            else:
                yield None, [(value, label)]


def _attributes(attrs: dict) -> str:
    # As django/forms/widgets/attrs.html: True is a bare name, False is left out.
    return "".join(
        f" {escape(name)}"
        if value is True
        else f' {escape(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )
