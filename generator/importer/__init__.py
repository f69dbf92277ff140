"""Import a signed plan decision (.txt/.md extraction or .docx) into draft YAML for review.

One job per module, imports in one direction:
  grid (the raw table shared by both readers) ← textlayout, docxread (reading) ← rows (table → tasks)
  agencies (cells → registry ids), memory (English from content/), header (decision and narrative)
  draft (writing files), review (the report), command (the CLI entry that ties them together).
"""
