"""The customer's view of their ticket (issue 14): a signed link in every mail
opens the ticket's public thread at /help/tickets/<token>/ (never internal
notes, never another ticket), with a reply box, "this is solved" and, once it
is solved, the satisfaction rating. ``links`` makes and checks the links,
``services`` writes, ``views`` serves the customer, ``agent_views`` the agents.
"""
