"""Scale-out: `newsledger batch` on Dask and `newsledger load` (docs/scale-out.md)."""
