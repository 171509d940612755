"""Each district's doctor becomes a Doctor of its clinic; the re-attachment rules get their one row."""

from django.db import migrations


def forwards(apps, schema_editor):
    District = apps.get_model("clinics", "District")
    Doctor = apps.get_model("clinics", "Doctor")
    AttachmentPolicy = apps.get_model("clinics", "AttachmentPolicy")
    for district in District.objects.exclude(doctor_name="").iterator():
        doctor, _ = Doctor.objects.get_or_create(clinic_id=district.clinic_id, full_name=district.doctor_name.strip())
        district.doctor = doctor
        district.save(update_fields=["doctor"])
    AttachmentPolicy.objects.get_or_create(pk=1)


def backwards(apps, schema_editor):
    District = apps.get_model("clinics", "District")
    for district in District.objects.select_related("doctor").exclude(doctor=None).iterator():
        district.doctor_name = district.doctor.full_name
        district.save(update_fields=["doctor_name"])


class Migration(migrations.Migration):
    dependencies = [("clinics", "0002_doctors_applications_attachments")]

    operations = [migrations.RunPython(forwards, backwards)]
