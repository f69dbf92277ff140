"""Layer 2, pages out: what the site says, as Markdown pages (render, templates/), diagrams, charts and data files."""
