"""The help center's contact form (issue 14): a channel beside email.

A customer writes at /help/contact/; while they type, the matching published
articles appear beside the form and "Yes, this solved it" ends there (a
deflection, no ticket). Sending files the message through the same services
as an email: the same customer, the same threading, the same acknowledgement.
"""
