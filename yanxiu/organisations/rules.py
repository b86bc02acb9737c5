"""Who may confirm an institution's declarations (django-rules)."""

import rules

from yanxiu.accounts.rules import is_authority_reviewer, is_institution_staff, permission


@rules.predicate
def is_its_authority(user, institution):
    return bool(is_authority_reviewer(user) and institution.authority_id == user.authority_id)


rules.add_perm("organisations.list_institutions", is_authority_reviewer)
rules.add_perm("organisations.confirm_training_invoice", is_its_authority)
# the user's own institution (its page: profile, invoicing declaration)
permission("organisations.edit_profile", is_institution_staff, "只有承办单位经办人可以维护单位信息。")
