"""Permissions of each role in the appeals register; who may make each *move* is `rules.MOVES`, checked
by the services. Fund officers handle appeals; call-centre operators register them for callers and
read their status; administrators read."""

ROLE_PERMISSIONS = {
    "fund_officer": [
        "appeals.view_appeal",
        "appeals.add_appeal",
        "appeals.change_appeal",
        "appeals.view_appealevent",
        "appeals.view_appealcontact",
        "appeals.add_appealcontact",
        "appeals.view_appealanswer",
        "appeals.add_appealanswer",
        "appeals.view_appealfile",
    ],
    "call_centre_operator": [
        "appeals.view_appeal",
        "appeals.add_appeal",
        "appeals.view_appealevent",
        "appeals.view_appealanswer",
    ],
    "administrator": [
        "appeals.view_appeal",
        "appeals.view_appealevent",
        "appeals.view_appealanswer",
    ],
}
