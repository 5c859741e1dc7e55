"""Review of the community's own words and photos, piece by piece, before outsiders read them."""
