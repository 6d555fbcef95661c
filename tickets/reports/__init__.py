"""The resolution report: roll-ups, measures, the cached figures, the page and its CSVs."""
