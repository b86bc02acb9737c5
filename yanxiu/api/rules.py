"""Who may hold API tokens: those the API serves (their organisation's data, or an expert's).
The three administrators work in the admin site and on the audit page; the API gives them nothing."""

import rules

from yanxiu.accounts.rules import has_an_organisation, is_expert

rules.add_perm("api.hold_tokens", has_an_organisation | is_expert)
