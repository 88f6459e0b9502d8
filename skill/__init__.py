"""The Alexa side of Mat Coach: handlers, request verification, places, models, simulator.

It knows nothing of the web pages or the `matcoach` command (see `matcoach/`, which composes
this package with `web/`).
"""
