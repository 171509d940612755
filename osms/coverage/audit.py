"""What of the coverage area the audit trail records.

Changes made one by one (the admin, the services) are logged by django-auditlog. Bulk register
imports write through COPY / bulk_create, which send no signals: their record is the ImportJob
with its counters and report. Payments are not registered for the same reason (a row per
payment would double the write volume of a 15 M-row monthly import).
"""

from osms.core.audit import auditlog

from .models import (
    BenefitCategory,
    BenefitMembership,
    ContributionRates,
    ImportJob,
    MinimumWage,
    PartnerApiKey,
    Person,
)

auditlog.register(Person)
auditlog.register(BenefitMembership)
auditlog.register(BenefitCategory)
auditlog.register(MinimumWage)
auditlog.register(ContributionRates)
auditlog.register(
    ImportJob,
    exclude_fields=["bytes_done", "rows_read", "rows_added", "rows_updated", "rows_unchanged", "rows_rejected"],
)
auditlog.register(PartnerApiKey, exclude_fields=["key_hash"])
