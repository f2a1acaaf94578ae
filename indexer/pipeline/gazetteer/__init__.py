"""Gazetteers of general knowledge for entity extraction (data files; see README.md)."""
