"""The pure core: schema, paths, checker, scoring, envelope. No I/O, no network, no CLI."""
