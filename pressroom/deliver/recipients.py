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
    borrowed: set[str] = set()
    """Keys whose recipient is still the loader's own object: copied only when a second
    list changes it (a list of 100,000 is then not held twice)."""
    for media_list in lists:
        for recipient in media_list.tagged(wanted):
            key = recipient.key
            first = merged.get(key)
            if first is None:
                if recipient.lists == [media_list.name]:
                    merged[key] = recipient
                    borrowed.add(key)
                else:
                    merged[key] = recipient.model_copy(update={"lists": [media_list.name]})
            elif media_list.name not in first.lists:
                if key in borrowed:  # copy on write: the input stays untouched
                    first = merged[key] = first.model_copy(update={"lists": list(first.lists)})
                    borrowed.discard(key)
                first.lists.append(media_list.name)
    return list(merged.values())
