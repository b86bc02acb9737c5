"""Who may read the statistics: the province office (everything) and each authority (its own institutions)."""

import rules

from yanxiu.accounts.rules import is_authority_or_province, is_province_officer

rules.add_perm("statistics.view_statistics", is_authority_or_province)
rules.add_perm("statistics.filter_by_authority", is_province_officer)
