"""Who may do what with a batch (django-rules): one permission per action."""

import rules

from yanxiu.accounts.rules import is_authority_reviewer, is_province_officer, permission


@rules.predicate
def is_batch_authority(user, batch):
    return bool(is_authority_reviewer(user) and batch.authority_id == user.authority_id)


permission("batches.list_batches", is_authority_reviewer | is_province_officer, "您的角色没有报送批次。")
permission("batches.create_batch", is_authority_reviewer, "只有主管部门审核人可以编制报送批次。")
permission("batches.rank_applications", is_authority_reviewer, "只有主管部门审核人可以排序。")
# its members and scans, while it is being put together (the state is the domain's, refused with its reason)
permission("batches.edit_batch", is_batch_authority, "只有本主管部门可以修改批次。")
permission("batches.submit_batch", is_batch_authority, "只有本主管部门可以报送本批次。")
permission("batches.return_batch", is_province_officer, "只有省人社厅可以退回批次。")
permission("batches.accept_batch", is_province_officer, "只有省人社厅可以接收批次。")
