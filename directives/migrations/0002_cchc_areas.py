from django.db import migrations

# The eight areas of the provincial PAR-Index set (Decision 1150/QĐ-BNV).
AREAS = [
    (1, "Công tác chỉ đạo, điều hành cải cách hành chính"),
    (2, "Cải cách thể chế"),
    (3, "Cải cách thủ tục hành chính"),
    (4, "Cải cách tổ chức bộ máy hành chính nhà nước"),
    (5, "Cải cách chế độ công vụ"),
    (6, "Cải cách tài chính công"),
    (7, "Xây dựng và phát triển Chính phủ điện tử, Chính phủ số"),
    (8, "Tác động của cải cách hành chính đến người dân, tổ chức và phát triển kinh tế - xã hội"),
]


def seed(apps, schema_editor):
    CchcArea = apps.get_model("directives", "CchcArea")
    for code, name in AREAS:
        CchcArea.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("directives", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
