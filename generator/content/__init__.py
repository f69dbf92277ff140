"""Layer 1, content in: read content/ (load, files, history), its model, and every check `check` runs."""
