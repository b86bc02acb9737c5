import io

import pytest
from openpyxl import Workbook

from yanxiu.organisations.models import Authority
from yanxiu.reference.importers import ImportFailed, import_file, load_defaults
from yanxiu.reference.models import CompetentDepartment, LectureFeeStandard, ProfessionalDomain, TrainingCostStandard

pytestmark = pytest.mark.django_db


def test_defaults_load_the_projects_own_copy():
    load_defaults()
    assert Authority.objects.filter(kind="city").count() == 9
    assert Authority.objects.get(code="PT-DQ").name == "平潭综合实验区党群工作部"
    assert ProfessionalDomain.objects.filter(provisional=True).count() == 37
    assert CompetentDepartment.objects.filter(level="national").count() == 57
    assert CompetentDepartment.objects.get(name="福建省教育厅").level == "provincial"
    assert TrainingCostStandard.objects.get(training_class="一类").total_per_person_day == 760
    assert TrainingCostStandard.objects.get(standard="福建省省直机关培训费管理办法").total_per_person_day is None
    assert LectureFeeStandard.objects.get(title_level="正高级职称").max_fee_per_class_hour == 1000


def xlsx(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def test_the_official_domain_catalogue_replaces_the_provisional_one_from_xlsx():
    load_defaults()
    catalogue = xlsx(
        [
            ["domain", "provincial_department"],
            ["工程技术（电子信息）", "福建省工业和信息化厅"],
            ["数字技术", "福建省数据管理局"],
        ]
    )
    result = import_file("domains", catalogue, filename="official.xlsx", replace=True)
    assert (result.created, result.updated, result.deactivated) == (1, 1, 36)
    assert list(ProfessionalDomain.objects.active().values_list("name", flat=True)) == [
        "工程技术（电子信息）",
        "数字技术",
    ]
    assert not ProfessionalDomain.objects.get(name="数字技术").provisional
    assert CompetentDepartment.objects.get(name="福建省数据管理局").level == "provincial"


def test_a_gbk_csv_imports():
    csv_bytes = "name,kind\n国家数据局,部委管理的国家局\n".encode("gb18030")
    result = import_file("ministries", io.BytesIO(csv_bytes), filename="m.csv")
    assert result.created == 1
    assert CompetentDepartment.objects.get(name="国家数据局").kind == "部委管理的国家局"


def test_a_file_with_wrong_columns_changes_nothing():
    with pytest.raises(ImportFailed, match="缺少列：domain"):
        import_file("domains", xlsx([["名称"], ["会计"]]), filename="bad.xlsx")
    assert ProfessionalDomain.objects.count() == 0


def test_one_bad_row_rolls_back_the_whole_file():
    rows = "code,name,kind\nX1,测试局一,city\nX2,测试局二,planet\n".encode()
    with pytest.raises(ImportFailed, match="第3行类别"):
        import_file("authorities", io.BytesIO(rows), filename="a.csv")
    assert not Authority.objects.filter(code="X1").exists()


def test_unsupported_files_are_refused():
    with pytest.raises(ImportFailed, match="只支持"):
        import_file("domains", io.BytesIO(b"x"), filename="list.txt")
