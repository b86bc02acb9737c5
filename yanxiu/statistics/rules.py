"""Who may read the statistics: the province office (everything) and each authority (its own institutions)."""

import rules


@rules.predicate
def is_province_officer(user):
    return bool(user.is_authenticated and user.is_province_officer)


@rules.predicate
def is_authority_reviewer(user):
    return bool(user.is_authenticated and user.is_authority_reviewer)


rules.add_perm("statistics.view_statistics", is_province_officer | is_authority_reviewer)
rules.add_perm("statistics.filter_by_authority", is_province_officer)
