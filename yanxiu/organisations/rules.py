"""Who may confirm an institution's declarations (django-rules)."""

import rules

from yanxiu.accounts.rules import is_authority_reviewer


@rules.predicate
def is_its_authority(user, institution):
    return bool(is_authority_reviewer(user) and institution.authority_id == user.authority_id)


rules.add_perm("organisations.list_institutions", is_authority_reviewer)
rules.add_perm("organisations.confirm_training_invoice", is_its_authority)
