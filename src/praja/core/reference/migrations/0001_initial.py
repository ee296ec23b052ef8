from django.db import migrations, models


def load(apps, schema_editor):
    from praja.core.reference.areas import load_areas

    load_areas(apps.get_model("reference", "Area"), apps.get_model("reference", "ReferenceDataset"))


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Area",
            fields=[
                ("code", models.CharField(max_length=13, primary_key=True, serialize=False, verbose_name="kode")),
                ("parent_code", models.CharField(blank=True, db_index=True, max_length=13, verbose_name="kode induk")),
                ("level", models.CharField(choices=[("province", "Provinsi"), ("regency", "Kabupaten/Kota"), ("district", "Kecamatan"), ("village", "Kelurahan/Desa")], db_index=True, max_length=10, verbose_name="tingkat")),
                ("name", models.CharField(max_length=120, verbose_name="nama")),
            ],
            options={"ordering": ["code"], "verbose_name": "wilayah", "verbose_name_plural": "wilayah"},
        ),
        migrations.CreateModel(
            name="ReferenceDataset",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=80, unique=True)),
                ("version", models.CharField(max_length=40)),
                ("licence", models.CharField(max_length=120)),
                ("source", models.CharField(max_length=200)),
                ("loaded_at", models.DateTimeField(auto_now=True)),
            ],
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
