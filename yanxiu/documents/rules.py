"""Who may use the documents pages (django-rules)."""

import rules

from yanxiu.accounts.rules import (
    has_an_organisation,
    is_authority_or_province,
    is_institution_staff,
    is_province_officer,
)
from yanxiu.organisations.rules import is_its_authority


@rules.predicate
def is_its_staff(user, institution):
    return bool(is_institution_staff(user) and institution.pk == user.institution_id)


rules.add_perm("documents.view_summary", has_an_organisation)
rules.add_perm("documents.export_all", is_authority_or_province)
rules.add_perm("documents.import_forms", is_authority_or_province)
# a form imported for an institution: the province for any, an authority for its own, the staff for theirs
rules.add_perm("documents.import_for_institution", is_province_officer | is_its_authority | is_its_staff)
