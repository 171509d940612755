"""Who may do what with temporary-status requests (merged into the role groups after migrate).

Fund officers review: they see sent requests (never a citizen's draft), open the documents and
decide. Nobody adds, edits or deletes a request in the back office: the services do the writing."""

ROLE_PERMISSIONS = {
    "fund_officer": [
        "temporary_status.view_temporarystatusrequest",
        "temporary_status.review_temporarystatusrequest",
    ],
}
