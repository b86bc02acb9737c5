"""Who may decide a unified-identity binding (decision 0025)."""

import rules

from yanxiu.accounts.rules import is_institution_staff, is_org_admin

from .enums import BindingState


@rules.predicate
def of_own_institution(user, binding):
    return binding is not None and binding.institution_id is not None and binding.institution_id == user.institution_id


@rules.predicate
def is_pending(user, binding):
    return binding is not None and binding.state == BindingState.PENDING


# The institution's administrator confirms (or refuses) a legal-entity login of its own USCC.
rules.add_perm("identity.decide_binding", is_institution_staff & is_org_admin & of_own_institution & is_pending)
# ... and sees the list of them.
rules.add_perm("identity.view_bindings", is_institution_staff & is_org_admin)
