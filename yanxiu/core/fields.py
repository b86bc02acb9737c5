"""Model fields for values typed as codes or numbers (phones, USCC): cleaned to half-width.

Django's `Model.full_clean()` stores what `to_python` returns, and every write path calls
it (model forms, the editor's `save_draft`, the API through the same forms, the Word
importer), so this is the one place where a full-width "１３８…" becomes "138…" before
the validators see it (decision 0017). Only Python behaviour changes: the column is the
same, so the field deconstructs as Django's own and needs no migration.
"""

from django.db import models

from .validators import normalise_code


class CodeField(models.CharField):
    """A CharField whose value is normalised by `normalise_code` (and upper-cased if asked)."""

    def __init__(self, *args, upper=False, **kwargs):
        self.upper = upper
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = normalise_code(super().to_python(value))
        return value.upper() if self.upper and isinstance(value, str) else value

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs
