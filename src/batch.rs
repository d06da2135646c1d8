//! Batch evaluation for consultants: a CSV or JSONL client list in, one row per client × district out.
