"""Who gets a release: media lists merged into one copy per address.

Pure: loaded :class:`~pressroom.model.contacts.MediaList` objects in, a list of
recipients out. Addresses are compared without regard to case.
"""

from __future__ import annotations

from collections.abc import Iterable

from pressroom.model.contacts import MediaList, Recipient


def merge(lists: Iterable[MediaList], tags: Iterable[str] = ()) -> list[Recipient]:
    """One recipient per address across *lists*, in list order; the first occurrence wins.

    Each recipient's ``lists`` names every list the address was found on. With
    *tags*, only rows carrying any of them (ignoring case) are kept.
    """
    wanted = list(tags)
    merged: dict[str, Recipient] = {}
    for media_list in lists:
        for recipient in media_list.tagged(wanted):
            first = merged.get(recipient.key)
            if first is None:
                merged[recipient.key] = recipient.model_copy(update={"lists": [media_list.name]})
            elif media_list.name not in first.lists:
                first.lists.append(media_list.name)
    return list(merged.values())
