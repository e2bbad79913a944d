"""The JSON shapes that cross the boundary: what ``--json`` prints and what the desk's API answers.

Below both ``cli`` and ``serve`` so that the two print the very same fields without either
importing the other.
"""
