"""Files on disk -> plain data that remembers where every value came from."""
