"""Usage reports from event files (guideline 2.7): DuckDB over the JSON lines, the time model of
`socialguard.timekeeping`, privacy rules, and HTML/CSV/Markdown/JSON renderers."""
