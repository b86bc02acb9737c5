"""The province office grants a deadline extension to an institution or an authority."""

from django.db import transaction

from yanxiu.audit.log import record
from yanxiu.core.refusal import Refused


@transaction.atomic
def grant_extension(extension, *, actor):
    """Save a filled-in (unsaved) DeadlineExtension with its granter and the audit entry."""
    if not actor.has_perm("selection.grant_extension"):
        raise Refused("只有省人社厅经办人可以批准延期。")
    extension.granted_by = actor
    extension.save()
    record(extension, action="grant_extension", label="批准延期", actor=actor, reason=extension.reason)
    return extension
