"""The voice side of Mat Coach: the Alexa skill, the web library and the CLI entry point."""
