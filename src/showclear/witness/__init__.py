"""A C2SP tlog-witness: co-signs a log's checkpoints only when they extend the last one it saw."""
