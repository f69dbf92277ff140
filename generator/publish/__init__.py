"""Layer 3, publishing: the renderer and its strict log, the search index, feeds, calendars, the site folder, preview."""
