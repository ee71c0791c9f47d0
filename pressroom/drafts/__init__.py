"""Everything that writes a release file: :func:`pressroom.drafts.save.save_release`."""
