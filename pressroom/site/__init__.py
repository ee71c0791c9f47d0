"""The static newsroom: published releases as web pages, feeds and a sitemap.

``pages`` decides what is published and what pages say, ``render`` fills the
templates, ``feeds`` writes Atom, RSS, JSON Feed and the sitemap, ``writer``
keeps the output tree in step, and ``newsroom`` runs them in order.
"""

from pressroom.site.newsroom import SiteResult, base_url_for, build_site

__all__ = ["SiteResult", "base_url_for", "build_site"]
