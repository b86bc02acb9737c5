"""What every form that takes numbers, dates or codes shares: half-width input (decision 0017).

Chinese input methods type full-width digits (０-９): "１２．５" for 12.5, "２０２６－０９－０１" for a
date. Django's number and date fields refuse some of them with a wrong message and Python's
`int` quietly takes others, so every number, date and time field of a `HalfWidthForm` (and
every field marked `half_width = True`: phones, ID numbers, serials) is cleaned by
`core.validators.normalise_code` before its own `to_python` and validators. Model fields that
hold codes do the same on `full_clean` (`core.fields.CodeField`), so the API and the importers,
which do not pass through these forms, store the same half-width value.
"""

import functools

from django import forms

from .validators import normalise_code

HALF_WIDTH_FIELDS = (
    forms.IntegerField,
    forms.DecimalField,
    forms.FloatField,
    forms.DateField,
    forms.DateTimeField,
    forms.TimeField,
)


def half_width(field):
    """Mark a field (e.g. a CharField holding a phone) to be cleaned half-width; returns it."""
    field.half_width = True
    return field


def _normalising(to_python):
    @functools.wraps(to_python)
    def clean(value):
        return to_python(normalise_code(value))

    return clean


class HalfWidthForm:
    """Mixin for forms and model forms: put it before `forms.Form` / `forms.ModelForm`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, HALF_WIDTH_FIELDS) or getattr(field, "half_width", False):
                field.to_python = _normalising(field.to_python)
