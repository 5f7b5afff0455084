"""Statistical methods: pure functions with typed inputs and outputs, no prose."""
