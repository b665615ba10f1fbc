"""Award history: a record per nominee of every award, issued here or imported."""
