"""dibtrends: defence spending and defence-industrial trends from public data."""
