"""Every page the accessibility audit opens (tests/browser/test_accessibility_browser.py).

A new page gets one line here. ``{name}`` parts are filled from the audit's world
(``World`` in the test: ticket, article, inbox); staff pages are opened signed in as
someone with every role, public pages signed out.
"""

STAFF_PAGES: list[tuple[str, str]] = [
    ("home", "/"),
    ("search", "/search/?q=export"),
    ("queue", "/tickets/"),
    ("queue, all tickets", "/tickets/?view=all"),
    ("inbox queue", "/tickets/inbox/{inbox}/"),
    ("ticket", "/tickets/{ticket}/"),
    ("solved ticket", "/tickets/{solved}/"),
    ("solve", "/tickets/{ticket}/solve/"),
    ("merge", "/tickets/{ticket}/merge/"),
    ("new ticket", "/tickets/new/"),
    ("reports", "/tickets/reports/"),
    ("quarantine", "/tickets/mail/quarantine/"),
    ("articles", "/articles/"),
    ("article", "/articles/{article}/"),
    ("article edit", "/articles/{article}/edit/"),
    ("new article", "/articles/new/"),
    ("article history", "/articles/{article}/history/"),
    ("article diff", "/articles/{article}/diff/?a=1&b=2"),
    ("needs review", "/articles/needs-review/"),
    ("needs attention", "/articles/needs-attention/"),
    ("help center import", "/articles/help-center/"),
    ("audit log", "/audit/"),
    ("sign-in lockouts", "/accounts/lockouts/"),
    ("API tokens", "/accounts/tokens/"),
    ("password change", "/accounts/password/"),
    ("not found", "/tickets/999999999/"),
    # The second wave's pages (issues 14-16).
    ("queue, breaching soon", "/tickets/?view=breaching"),
    ("queue, by due time", "/tickets/?sort=due"),
    ("SLA policies", "/tickets/sla/"),
    ("SLA settings", "/tickets/sla/{inbox}/"),
    ("SLA report", "/tickets/reports/sla/"),
    ("macros", "/tickets/macros/"),
    ("new macro", "/tickets/macros/new/"),
    ("macro picker", "/tickets/{ticket}/macros/"),
    ("customer ratings", "/tickets/satisfaction/"),
    ("notifications", "/notifications/"),
    ("settings", "/settings/"),
    ("assignment", "/assignment/"),
    ("webhooks", "/webhooks/"),
]

PUBLIC_PAGES: list[tuple[str, str]] = [
    ("sign in", "/accounts/login/"),
    ("password reset", "/accounts/password/reset/"),
    ("help center", "/help/"),
    ("help article", "/help/{article}/"),
    ("help search", "/help/search/?q=export"),
    ("contact form", "/help/contact/"),
    ("help not found", "/help/no-such-article/"),
]
