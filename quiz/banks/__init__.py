"""Question banks: the Department's shared banks and teachers' own banks."""
