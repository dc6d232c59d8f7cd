"""Sources and normalisation: raw input in, typed Posts or Rejects out."""
