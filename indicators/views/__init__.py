"""Pages of the indicators app, split by entity: frameworks, assessments, boards."""
