"""Static site generator for Vietnamese cities' administrative-reform plans."""
