"""Datelines in AP style (``OAKLAND, Calif.``): what ``check`` advises about one."""

from __future__ import annotations

import re

# AP style state abbreviations for datelines; eight states are never abbreviated.
AP_STATES = {
    "Ala.", "Ariz.", "Ark.", "Calif.", "Colo.", "Conn.", "Del.", "Fla.", "Ga.", "Ill.",
    "Ind.", "Kan.", "Ky.", "La.", "Md.", "Mass.", "Mich.", "Minn.", "Miss.", "Mo.",
    "Mont.", "Neb.", "Nev.", "N.H.", "N.J.", "N.M.", "N.Y.", "N.C.", "N.D.", "Okla.",
    "Ore.", "Pa.", "R.I.", "S.C.", "S.D.", "Tenn.", "Vt.", "Va.", "Wash.", "W.Va.",
    "Wis.", "Wyo.", "Alaska", "Hawaii", "Idaho", "Iowa", "Maine", "Ohio", "Texas", "Utah",
    "D.C.",
}  # fmt: skip
POSTAL_TO_AP = {
    "AL": "Ala.", "AZ": "Ariz.", "AR": "Ark.", "CA": "Calif.", "CO": "Colo.", "CT": "Conn.",
    "DE": "Del.", "FL": "Fla.", "GA": "Ga.", "IL": "Ill.", "IN": "Ind.", "KS": "Kan.",
    "KY": "Ky.", "LA": "La.", "MD": "Md.", "MA": "Mass.", "MI": "Mich.", "MN": "Minn.",
    "MS": "Miss.", "MO": "Mo.", "MT": "Mont.", "NE": "Neb.", "NV": "Nev.", "NH": "N.H.",
    "NJ": "N.J.", "NM": "N.M.", "NY": "N.Y.", "NC": "N.C.", "ND": "N.D.", "OK": "Okla.",
    "OR": "Ore.", "PA": "Pa.", "RI": "R.I.", "SC": "S.C.", "SD": "S.D.", "TN": "Tenn.",
    "VT": "Vt.", "VA": "Va.", "WA": "Wash.", "WV": "W.Va.", "WI": "Wis.", "WY": "Wyo.",
    "AK": "Alaska", "HI": "Hawaii", "ID": "Idaho", "IA": "Iowa", "ME": "Maine", "OH": "Ohio",
    "TX": "Texas", "UT": "Utah", "DC": "D.C.",
}  # fmt: skip
_CITY = re.compile(r"^[A-ZÀ-Ý][A-ZÀ-Ý .'\u2019-]*$")


def dateline_advice(dateline: str) -> list[tuple[str, str]]:
    """(message, hint) for each way *dateline* is not AP style; empty when it is."""
    advice = []
    city, _, rest = dateline.partition(",")
    rest = rest.strip()
    if not _CITY.match(city.strip()):
        advice.append(
            (
                f"'{dateline}' is not in AP style",
                f"write the city in capitals: {city.strip().upper()}"
                + (f", {rest}" if rest else ""),
            )
        )
    if rest and rest.upper() in POSTAL_TO_AP and rest not in AP_STATES:
        advice.append(
            (
                f"'{rest}' is a postal code, not an AP state abbreviation",
                f"write {city.strip()}, {POSTAL_TO_AP[rest.upper()]}",
            )
        )
    return advice
