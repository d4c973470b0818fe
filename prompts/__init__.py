"""The LLM prompts, shipped inside the package as bot.prompts (see pyproject.toml)."""
