"""The web shell of nn-playground: HTTP routes, the websocket, sessions and worker threads."""

__version__ = "0.1.0"
