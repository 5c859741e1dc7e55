"""Evidence photos and documents: uploaded by content hash, cleaned, stored, scoped."""
