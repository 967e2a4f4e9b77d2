"""Pure torch/numpy core of nn-playground: data, networks, training and analysis.

Nothing here knows about HTTP, websockets, threads or pydantic; see docs/architecture.md.
"""
