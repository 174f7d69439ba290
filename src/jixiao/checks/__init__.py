"""Review checks (checks.md): one registered unit per code; `review` runs them."""
