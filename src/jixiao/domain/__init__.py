"""The pure domain: model, grammar, scoring, profiles. No I/O."""
