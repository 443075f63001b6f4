"""A local simulator of the Netwrix Directory Manager (GroupID) Data and Security services.

Test infrastructure of the groupid.groupid collection; not part of the built collection.
"""

from __future__ import annotations
