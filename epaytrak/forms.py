"""The form renderer: every form on the site is drawn through one field template.

Widgets get their Bootstrap classes here, so forms in the apps stay plain
Django forms.
"""

from django import forms
from django.forms.renderers import TemplatesSetting

CHECK_WIDGETS = (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)


class BootstrapBoundField(forms.BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if isinstance(widget, CHECK_WIDGETS):
            css_class = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css_class = "form-select"
        else:
            css_class = "form-control"
        if self.errors:
            css_class += " is-invalid"
        attrs["class"] = f"{attrs.get('class', '')} {css_class}".strip()
        return attrs

    def label_tag(self, contents=None, attrs=None, label_suffix=None, tag=None):
        attrs = dict(attrs or {})
        is_check = isinstance(self.field.widget, forms.CheckboxInput)
        attrs.setdefault("class", "form-check-label" if is_check else "form-label")
        return super().label_tag(contents, attrs, label_suffix, tag)


class FormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = BootstrapBoundField
