"""Who may use the documents pages (django-rules)."""

import rules

from yanxiu.accounts.rules import has_an_organisation, is_authority_or_province

rules.add_perm("documents.view_summary", has_an_organisation)
rules.add_perm("documents.export_all", is_authority_or_province)
rules.add_perm("documents.import_forms", is_authority_or_province)
