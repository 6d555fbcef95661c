"""The queues: filters and keyset paging, the filter form, and bulk actions."""
