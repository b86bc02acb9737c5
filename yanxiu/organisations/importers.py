"""The authorities dictionary, imported like every reference dictionary
(`manage.py import_reference authorities PATH`, reference/data/authorities.csv)."""

from yanxiu.reference.importers import ImportFailed, ImportResult, register, require_columns

from .enums import AuthorityKind
from .models import Authority


def import_authorities(rows, header, replace=False):
    require_columns(header, ["code", "name", "kind"])
    result, problems = ImportResult("authorities"), []
    for number, row in enumerate(rows, start=2):
        if row["kind"] not in AuthorityKind.values:
            problems.append(f"第{number}行类别“{row['kind']}”不正确，应为 {'/'.join(AuthorityKind.values)}")
            continue
        _, created = Authority.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "kind": row["kind"],
                "region_code": row.get("region_code", ""),
                "note": row.get("note", ""),
                "is_active": True,
            },
        )
        result.created += created
        result.updated += not created
    if problems:
        raise ImportFailed(problems)
    return result


register("authorities", "主管部门", import_authorities, "authorities.csv")
