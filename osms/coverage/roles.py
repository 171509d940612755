"""What each role may do with the contribution rates (merged into the role groups after migrate).

Administrators keep the rates from the law (docs/adr/0603); fund officers read them."""

from osms.accounts.models import Role

ROLE_PERMISSIONS = {
    Role.FUND_OFFICER: ["coverage.view_contributionrates"],
    Role.ADMINISTRATOR: [
        "coverage.view_contributionrates",
        "coverage.add_contributionrates",
        "coverage.change_contributionrates",
    ],
}
