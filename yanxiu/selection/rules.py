"""Who may select, publish and grant extensions (django-rules)."""

import rules

from yanxiu.accounts.rules import is_province_officer

rules.add_perm("selection.select", is_province_officer)
rules.add_perm("selection.publish", is_province_officer)
rules.add_perm("selection.record_ministry_answer", is_province_officer)
rules.add_perm("selection.view_plan", is_province_officer)
rules.add_perm("selection.grant_extension", is_province_officer)
rules.add_perm("selection.publicise", is_province_officer)
rules.add_perm("selection.record_objection", is_province_officer)
