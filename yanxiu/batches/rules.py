"""Who may do what with a batch (django-rules): one permission per action."""

import rules

from yanxiu.accounts.rules import is_authority_reviewer, is_province_officer


@rules.predicate
def is_batch_authority(user, batch):
    return bool(is_authority_reviewer(user) and batch.authority_id == user.authority_id)


@rules.predicate
def is_editable(user, batch):
    return batch.is_editable


rules.add_perm("batches.list_batches", is_authority_reviewer | is_province_officer)
rules.add_perm("batches.create_batch", is_authority_reviewer)
rules.add_perm("batches.rank_applications", is_authority_reviewer)
rules.add_perm("batches.see_batch", is_batch_authority | is_province_officer)
rules.add_perm("batches.edit_batch", is_batch_authority & is_editable)
rules.add_perm("batches.submit_batch", is_batch_authority)
rules.add_perm("batches.return_batch", is_province_officer)
rules.add_perm("batches.accept_batch", is_province_officer)
