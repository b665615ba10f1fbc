"""Test support: factories, worlds, advancing a dossier through its real life, and shared
fixtures."""
