"""Statistical methods, one module each: pure functions of arrays and frames, no words."""
