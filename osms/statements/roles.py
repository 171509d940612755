"""Permissions of the statement service by role (merged into the role groups after every migrate)."""

ROLE_PERMISSIONS = {
    # Fund officers watch the service and answer complaints; requests and documents are read-only.
    "fund_officer": [
        "statements.view_statementrequest",
        "statements.view_statementstage",
        "statements.view_statementdocument",
        "statements.view_statementcomplaint",
        "statements.change_statementcomplaint",
        "statements.view_monitoring",
    ],
    # The call centre tells a caller where their request or complaint stands.
    "call_centre_operator": [
        "statements.view_statementrequest",
        "statements.view_statementcomplaint",
    ],
    "administrator": [
        "statements.view_statementrequest",
        "statements.view_statementstage",
        "statements.view_statementdocument",
        "statements.view_statementcomplaint",
        "statements.view_monitoring",
    ],
}
