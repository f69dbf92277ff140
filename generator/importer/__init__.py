"""Import a signed plan decision (.txt/.md extraction or .docx) into draft YAML for review.

One job per module, imports in one direction (readers → table → records → files):
  normal      extraction debris, whitespace and comparison keys
  grid        the raw task table both readers produce (columns recognised by their Vietnamese headers)
  textlayout  reading the tab-separated / Markdown text layouts
  docxread    reading Word tables (python-docx)
  agencies    agency cells → registry ids, proposals for unknown bodies, uncertain matches
  rows        table → groups and tasks (page breaks joined, sub-items, merged cells, (*) flags)
  header      the decision's header and the narrative sections
  memory      the translation memory built from content/ (English is never machine-made)
  compose     the draft plan and task records
  draft       writing the files (never over an existing file without --force)
  review      the review report
  command     `python -m generator import`, tying them together
"""
