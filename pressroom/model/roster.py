"""Who is on the lists of one send, counted as the rows stream past.

A :class:`Roster` sees every row of the media lists once, in list order, and
answers two questions without keeping the rows: is this address new (the
first row of an address wins), and which lists was it found on. It keeps one
small integer per address (a bit per list), so 100,000 addresses cost a few
megabytes where 100,000 validated rows cost a hundred.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pressroom.model.contacts import Recipient


class Roster:
    """The addresses seen so far, each with the lists it was found on."""

    def __init__(self) -> None:
        self._lists: dict[str, int] = {}
        """List name -> its bit."""
        self._names: list[str] = []
        self._seen: dict[str, int] = {}
        """Address key -> the bits of the lists it is on."""
        self._joined: set[str] = set()
        """Keys found on more than one list: their first row names only the first."""
        self.counts: dict[str, int] = {}
        """Each list's addresses (a row repeated on one list counted once), in list order."""

    def add(self, recipient: Recipient) -> bool:
        """Note *recipient*'s row; True if its address is new (this row is the one kept)."""
        key = recipient.key
        names = recipient.lists
        if len(names) == 1:  # a row as a list's file gives it: what every row of a send is
            name = names[0]
            bit = self._lists.get(name)
            if bit is None:
                bit = self._new_list(name)
            before = self._seen.get(key)
            if before is None:
                self._seen[key] = bit
                self.counts[name] += 1
                return True
            if not before & bit:
                self._seen[key] = before | bit
                self._joined.add(key)
                self.counts[name] += 1
            return False
        bits = 0
        for name in names:
            bit = self._lists.get(name)
            if bit is None:
                bit = self._new_list(name)
            bits |= bit
        before = self._seen.get(key)
        if before is None:
            self._seen[key] = bits
            self._count(bits)
            return True
        added = bits & ~before
        if added:
            self._seen[key] = before | added
            self._joined.add(key)
            self._count(added)
        return False

    def _new_list(self, name: str) -> int:
        bit = self._lists[name] = 1 << len(self._names)
        self._names.append(name)
        self.counts[name] = 0
        return bit

    def firsts(self, recipients: Iterable[Recipient]) -> Iterator[Recipient]:
        """The rows of *recipients* whose address is new, as they stream past."""
        return (recipient for recipient in recipients if self.add(recipient))

    def __contains__(self, key: object) -> bool:
        return key in self._seen

    def __len__(self) -> int:
        return len(self._seen)

    def lists_of(self, key: str) -> list[str]:
        """The lists *key* was found on, in the order they were read."""
        bits = self._seen.get(key, 0)
        return [name for i, name in enumerate(self._names) if bits >> i & 1]

    def joined(self) -> Iterator[tuple[str, list[str]]]:
        """Each address found on more than one list, with all of its lists."""
        for key in self._joined:
            yield key, self.lists_of(key)

    def completed(self, recipient: Recipient) -> Recipient:
        """*recipient* (a first row) naming every list its address was found on."""
        lists = self.lists_of(recipient.key)
        if recipient.key not in self._joined or lists == recipient.lists:
            return recipient
        return recipient.model_copy(update={"lists": lists})

    def _count(self, bits: int) -> None:
        for i, name in enumerate(self._names):
            if bits >> i & 1:
                self.counts[name] += 1
