-- A reject stays in the ledger as the record of what went wrong, but once the
-- same item is later stored (a fixed file, an extractor that now works) it is
-- marked resolved by that run instead of being counted as an open problem.
ALTER TABLE rejects ADD COLUMN resolved_run INTEGER;
