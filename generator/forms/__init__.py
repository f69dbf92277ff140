"""Agencies' Excel report forms: made for a period (report_form), read back into report files (report_import)."""
