"""The deterministic reader: normalised text in, report cells with evidence out. Pure: no I/O."""
