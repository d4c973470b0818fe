"""Article text in, Analysis out. Nothing in this package knows about Slack."""
