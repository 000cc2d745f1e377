"""govgraph: a knowledge graph of digital governance built from government announcements."""

__version__ = "0.1.0"
