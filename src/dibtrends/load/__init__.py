"""Loaders: one module per publisher, each ending with TABLES = {name: loader}."""
