-- The model ranking reads the first 100 models from an index instead of sorting every model's
-- totals (20,000 at 10,000 cities) on each read of the network statistics.

CREATE INDEX network_model_totals_rank ON network_model_totals (cities DESC, use_cases DESC, model COLLATE "C") WHERE cities > 0;
