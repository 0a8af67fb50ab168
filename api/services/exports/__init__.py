"""Files out: observations and progress as CSV, XLSX or Parquet, suppressed and formula-safe."""
