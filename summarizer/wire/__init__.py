"""The wire: news feeds in (RSS, Atom, JSON Feed, ninjs, NewsML-G2) as article files with their provenance."""
