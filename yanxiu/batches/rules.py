import rules


@rules.predicate
def is_batch_authority(user, batch):
    return bool(user.is_authenticated and user.is_authority_reviewer and batch.authority_id == user.authority_id)


@rules.predicate
def is_province_officer(user, batch=None):
    return bool(user.is_authenticated and user.is_province_officer)
