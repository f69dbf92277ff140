"""Layer 0, shared by every stage: problems (errors), how CI shows them (annotations), and slugs."""
