"""Mat Coach composed: the app factory (`matcoach.app.create_app`) and the `matcoach` command.

Nothing is imported here, so `import matcoach.config` stays cheap.
"""
