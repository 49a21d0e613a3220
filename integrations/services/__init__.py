"""Every write of the integrations app. Split by entity; import from the submodules."""
