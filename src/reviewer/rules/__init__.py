"""Engine rules: one Rule subclass per module, discovered by reviewer.engine.registry."""
