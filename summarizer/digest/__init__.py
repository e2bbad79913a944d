"""Many articles, one email: building the digest and delivering it over SMTP.

This ``__init__`` imports nothing: importing a module of the package must not pay for its siblings.
"""
