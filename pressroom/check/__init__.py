"""Editorial checks: the rules (:mod:`.rules`), the YAML traps, links, datelines,
placeholders, translations, imported drafts, attachment weight, and readiness to send."""
