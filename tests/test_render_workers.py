"""What crosses to the preview's render workers (spawned processes) survives pickling."""

from __future__ import annotations

import pickle

import pytest

from pressroom.load.room import load_room
from tests.conftest import REPO, example_document, example_release_names


@pytest.mark.parametrize("name", example_release_names())
def test_a_document_pickles_whole(name):
    """A SafeUrl or RoomPath that lost its scheme or path crashed every worker at start."""
    doc = example_document(load_room(REPO), name)
    again = pickle.loads(pickle.dumps(doc))
    assert again == doc
    for image in doc.images:
        [copy] = [i for i in again.images if i.path == image.path]
        assert copy.path == image.path
