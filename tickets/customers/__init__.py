"""A customer's account context (pushed by the service's backend, shown beside the
ticket, used by suggestions) and the erasure of a customer's data on request."""
