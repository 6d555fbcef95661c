"""Free tags on tickets: adding and removing them (one ticket or many),
autocomplete, and the page rows' tags (issue 15)."""
