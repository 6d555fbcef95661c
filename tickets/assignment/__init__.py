"""Who may hold a ticket (agents of its inbox), round-robin, and the managers' page."""
