"""The validated model: what a press room and its releases mean.

Everything here is pure: plain data in (with pydantic's validation context
carrying the room's people, time zone and the release's file name), model out.
Reading files and turning validation errors into located messages is the job
of :mod:`pressroom.load`.
"""

from pressroom.model.contacts import MediaList, Recipient
from pressroom.model.moments import Moment
from pressroom.model.people import Person
from pressroom.model.release import Release
from pressroom.model.room import Room, RoomConfig

__all__ = ["MediaList", "Moment", "Person", "Recipient", "Release", "Room", "RoomConfig"]
