"""What became of what was sent, read from the send log: per release, across releases,
per journalist. :mod:`.outcomes` counts (pure), :mod:`.charts` draws them, the
CLI and the preview show them.
"""
