from django import forms


class VersionedForm(forms.Form):
    name = forms.CharField()
    version = forms.IntegerField(widget=forms.HiddenInput)


def test_a_form_draws_its_hidden_fields_beside_its_visible_ones():
    html = str(VersionedForm(initial={"version": 7}))

    assert 'type="hidden" name="version" value="7"' in html


def test_a_field_with_an_error_is_marked_invalid_for_bootstrap():
    html = str(VersionedForm(data={"version": "1"}))

    assert 'class="form-control is-invalid"' in html
