"""Media-list work: importing a spreadsheet export into ``contacts/``, forgetting a person."""
