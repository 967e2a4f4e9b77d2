"""Experiments the lessons run in one go: many small trainings or fits, pure compute.

Each module takes plain numbers and returns frozen dataclasses; the server's
/api/experiments/* routes validate requests and bound their sizes (server/limits.py).
"""
