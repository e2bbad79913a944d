"""The command line: a thin layer over the library (parse arguments, call one function, format, exit).

This ``__init__`` imports nothing: importing a module of the package must not pay for its siblings.
"""
