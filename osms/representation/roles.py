"""Who may do what in the representation area (merged into the role groups after migrate).

Fund officers upload the representation register, see the rights, and decide the citizens'
requests; nobody edits a right by hand: the register and the approved requests write them."""

ROLE_PERMISSIONS = {
    "fund_officer": [
        "representation.view_representation",
        "representation.view_representationrequest",
        "representation.review_representationrequest",
        "representation.view_representationimport",
        "representation.add_representationimport",
    ],
    "administrator": [
        "representation.view_representation",
        "representation.view_representationimport",
    ],
}
