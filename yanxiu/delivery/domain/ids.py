"""Resident identity numbers (GB 11643-1999): validation and masking, defined in `core`
(accounts record ID numbers too: the unified-identity login, decision 0025)."""

from yanxiu.core.masks import mask_id_number
from yanxiu.core.validators import ID_RE, id_with_check, validate_id_number
from yanxiu.core.validators import normalise_id_number as normalise

__all__ = ["ID_RE", "id_with_check", "mask", "normalise", "validate_id_number"]

mask = mask_id_number  # 3501**********1234 (`core.masks`, shared with accounts)
